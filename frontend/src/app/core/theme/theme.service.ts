import { DOCUMENT, Injectable, effect, inject, signal } from '@angular/core';

export type Theme = 'default' | 'projector';
const THEME_KEY = 'ntp-lab.theme';

/**
 * Projector mode: high contrast and large type for a classroom wall (WCAG AA
 * on every screen, like the default theme). Remembered on this browser;
 * `?projector=1` in the address turns it on for a shared link.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  readonly theme = signal<Theme>(this.initialTheme());

  constructor() {
    effect(() => {
      const theme = this.theme();
      this.document.documentElement.dataset['theme'] = theme;
      try {
        globalThis.localStorage?.setItem(THEME_KEY, theme);
      } catch {
        // storage refused (private mode): the choice lasts for this page only
      }
    });
  }

  toggle(): void {
    this.theme.update((theme) => (theme === 'projector' ? 'default' : 'projector'));
  }

  private initialTheme(): Theme {
    if (new URLSearchParams(this.document.location?.search ?? '').get('projector') === '1') return 'projector';
    try {
      return globalThis.localStorage?.getItem(THEME_KEY) === 'projector' ? 'projector' : 'default';
    } catch {
      return 'default';
    }
  }
}
