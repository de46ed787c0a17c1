// How heavy and how quick the console's first screen is, as a browser gets it
// from the backend that serves it (`make dev`). Prints figures and one JSON line.
//
//   npm run build -w frontend && npx tsc -p backend/tsconfig.app.json && npx tsx benchmarks/console/delivery.ts
//
// - initial JS: the files index.html loads before the first screen (script + modulepreload), raw, and as
//   gzip and brotli would send them (whether the server compresses is the backend's static serving: the
//   "as served" figure is what Chromium actually received);
// - first render: Chromium's first-contentful-paint, and the time until the seat grid shows real seats,
//   median of RUNS fresh browser contexts (cold cache each).
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { CHROMIUM_FLAGS, LabBackend, REPO_ROOT, freePort } from '../../frontend/e2e/support/lab-backend';

const RUNS = Number(process.env['RUNS'] ?? 7);
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const dist = join(REPO_ROOT, 'dist', 'frontend');

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function initialJs(): { files: string[]; raw: number; gzip: number; brotli: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map(
    (m) => m[1],
  );
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of files) {
    const bytes = readFileSync(join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes).length;
  }
  return { files, raw, gzip, brotli };
}

async function main(): Promise<void> {
  const js = initialJs();
  const backend = new LabBackend(await freePort());
  await backend.start();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
  });
  const fcp: number[] = [];
  const seatsShown: number[] = [];
  let served = 0;
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      let jsBytes = 0;
      page.on('response', async (response) => {
        if (response.url().endsWith('.js') && response.request().resourceType() === 'script') {
          const sizes = await response
            .request()
            .sizes()
            .catch(() => null);
          jsBytes += sizes?.responseBodySize ?? 0;
        }
      });
      await page.goto(`${backend.url}/seats`);
      await page.locator('[data-seat="100"]').waitFor();
      seatsShown.push(await page.evaluate(() => performance.now()));
      fcp.push(
        await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN),
      );
      if (run === 0) served = jsBytes; // all JS of the first screen, lazy route included, as transferred
      await context.close();
    }
  } finally {
    await browser.close();
    await backend.stop();
  }
  const figures = {
    initial_js_files: js.files.length,
    initial_js_raw_kb: kb(js.raw),
    initial_js_gzip_kb: kb(js.gzip),
    initial_js_brotli_kb: kb(js.brotli),
    seats_screen_js_as_served_kb: kb(served),
    first_contentful_paint_ms: Math.round(median(fcp)),
    seats_rendered_ms: Math.round(median(seatsShown)),
    runs: RUNS,
  };
  console.log(
    `initial JS (${js.files.length} files): ${figures.initial_js_raw_kb} KB raw, ${figures.initial_js_gzip_kb} KB gzip, ${figures.initial_js_brotli_kb} KB brotli`,
  );
  console.log(
    `JS the seats screen received as served now (incl. its lazy chunk): ${figures.seats_screen_js_as_served_kb} KB`,
  );
  console.log(
    `first contentful paint: ${figures.first_contentful_paint_ms} ms; seat grid with real seats: ${figures.seats_rendered_ms} ms (median of ${RUNS}, cold cache, localhost)`,
  );
  console.log(JSON.stringify({ benchmark: 'console-delivery', ...figures }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
