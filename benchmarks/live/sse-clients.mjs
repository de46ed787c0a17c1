// Child process of sse-fanout.ts: opens N idle live-stream clients against a
// backend and reads (and counts) what they receive, so the benchmark's own
// event loop measures POST latency undisturbed. Protocol on stdout: one JSON
// line {"opened": n, "refused": n} once all are connected, then, on SIGUSR2, a
// line {"events": n, "bytes": n}. Arguments: base URL, client count.
import { request } from 'node:http';

const [baseUrl, countText] = process.argv.slice(2);
const url = new URL('/api/events/stream', baseUrl);
const count = Number(countText);
let events = 0;
let bytes = 0;

const open = () =>
  new Promise((resolve) => {
    const outgoing = request({ host: url.hostname, port: url.port, path: url.pathname, agent: false }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        resolve(false);
        return;
      }
      response.on('data', (chunk) => {
        bytes += chunk.length;
        for (let at = chunk.indexOf('\n\n'); at >= 0; at = chunk.indexOf('\n\n', at + 2)) events += 1;
      });
      response.on('error', () => undefined);
      resolve(true);
    });
    outgoing.on('error', () => resolve(false));
    outgoing.end();
  });

let opened = 0;
let refused = 0;
// 50 at a time: a thousand SYNs at once overflow the listen backlog.
for (let first = 0; first < count; first += 50) {
  const results = await Promise.all(Array.from({ length: Math.min(50, count - first) }, open));
  for (const ok of results) ok ? (opened += 1) : (refused += 1);
}
process.stdout.write(`${JSON.stringify({ opened, refused })}\n`);
process.on('SIGUSR2', () => process.stdout.write(`${JSON.stringify({ events, bytes })}\n`));
setInterval(() => undefined, 1 << 30);
