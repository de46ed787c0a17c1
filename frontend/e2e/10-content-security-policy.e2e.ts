// The console and the API docs under the backend's Content-Security-Policy (no inline script,
// frame-ancestors 'none'): every screen renders and the browser reports no CSP violation.
import { expect, test } from './support/fixtures';

const SCREENS = ['/seats', '/conflicts', '/ntp', '/simulation', '/stats'];

test('every screen and /docs render under the CSP with no violation reported', async ({ page, lab }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text()))
      violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Refused to load (CSP ${event.violatedDirective}): ${event.blockedURI}`),
    );
  });

  const first = await page.goto('/seats');
  const csp = first?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  for (const screen of SCREENS) {
    await page.goto(screen);
    await expect(page.locator('main')).toBeVisible();
  }

  await page.goto(`${lab.url}/docs`);
  await expect(page.locator('.swagger-ui .info .title')).toContainText('NTP Reservation Lab');
  await expect(page.locator('.swagger-ui .opblock').first()).toBeVisible();
  expect(violations).toEqual([]);
});
