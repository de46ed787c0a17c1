import { test } from './support/fixtures';
import { type Screen, screensOf, useTheme } from './support/screens';

// Every screen, from real data, on a desktop, in projector mode and on a phone; `npm run screenshots -w frontend`
// writes them to docs/screenshots (otherwise to test-artifacts/screenshots).
const VIEWS = [
  { view: 'desktop', theme: 'default', viewport: { width: 1440, height: 900 } },
  { view: 'projector', theme: 'projector', viewport: { width: 1920, height: 1080 } },
  { view: 'phone', theme: 'default', viewport: { width: 390, height: 844 } },
] as const;

let screens: Screen[] = [];

test.beforeAll(async ({ lab }) => {
  screens = await screensOf(lab);
});

for (const { view, theme, viewport } of VIEWS) {
  test(`screenshots of every screen: ${view}`, async ({ page, saveScreenshot }) => {
    await page.setViewportSize(viewport);
    await useTheme(page, theme);
    for (const screen of screens) {
      await screen.open(page);
      await page.waitForTimeout(300); // let bar widths and charts finish their first layout
      await saveScreenshot(`${screen.name}-${view}`, page);
    }
  });
}
