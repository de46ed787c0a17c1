import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './support/fixtures';
import { type Screen, type Theme, screensOf, useTheme } from './support/screens';

// axe-core's WCAG 2.0/2.1 A and AA rules, on every screen in both themes: nothing critical, nothing serious.
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const THEMES: Theme[] = ['default', 'projector'];

let screens: Screen[] = [];

test.beforeAll(async ({ lab }) => {
  screens = await screensOf(lab);
});

for (const theme of THEMES) {
  test(`axe-core finds nothing critical or serious on any screen (${theme} theme)`, async ({ page }) => {
    await useTheme(page, theme);
    const report: string[] = [];
    const grave: string[] = [];
    for (const screen of screens) {
      await screen.open(page);
      const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
      const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
      for (const violation of results.violations) {
        counts[violation.impact ?? 'minor'] += violation.nodes.length;
        if (violation.impact === 'critical' || violation.impact === 'serious') {
          const where = violation.nodes.map((node) => node.target.join(' ')).join(', ');
          grave.push(`${screen.name}: ${violation.id} (${violation.impact}) at ${where}`);
        }
      }
      report.push(`${screen.name}: ${JSON.stringify(counts)}`);
    }
    console.log(`axe, ${theme} theme, nodes per impact:\n  ${report.join('\n  ')}`);
    expect(grave, `${theme} theme`).toEqual([]);
  });
}

for (const theme of THEMES) {
  test(`no screen scrolls sideways on a 390×844 phone (${theme} theme)`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await useTheme(page, theme);
    const tooWide: string[] = [];
    for (const screen of screens) {
      await screen.open(page);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
      }));
      if (widths.page > widths.viewport) tooWide.push(`${screen.name} is ${widths.page} px wide`);
    }
    expect(tooWide).toEqual([]);
  });
}

test('every screen has one h1, and the skip link moves focus to the content', async ({ page }) => {
  for (const screen of screens.filter((candidate) => candidate.name !== 'sign-in')) {
    await screen.open(page);
    await expect(page.locator('h1'), screen.name).toHaveCount(1);
  }
  await page.goto('/stats');
  await page.keyboard.press('Tab');
  await expect(page.locator('a.skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});
