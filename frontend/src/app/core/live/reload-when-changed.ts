import { DestroyRef, effect, inject, untracked } from '@angular/core';
import { APP_CONFIG } from '../config/app-config';
import { ChangedEntity } from './live-events';
import { LiveUpdates } from './live-updates.service';

/**
 * Calls `load` now and again whenever one of the entity kinds changes. Bursts
 * (a replay emits thousands of changes) collapse into one reload per debounce
 * window. `alsoTrack` adds signals (e.g. filters) whose change reloads too.
 * Call it in an injection context (a store's constructor).
 */
export function reloadWhenChanged(
  entities: readonly ChangedEntity[],
  load: () => void,
  alsoTrack: () => unknown = () => undefined,
): void {
  const live = inject(LiveUpdates);
  const debounceMs = inject(APP_CONFIG).refreshDebounceMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = true;
  effect(() => {
    for (const entity of entities) live.version(entity);
    alsoTrack();
    untracked(() => {
      if (first) {
        first = false;
        load();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(load, debounceMs);
    });
  });
  inject(DestroyRef).onDestroy(() => clearTimeout(timer));
}
