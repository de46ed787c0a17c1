// The built console plus the same proxy as proxy.conf.json, for the e2e run
// (and usable as a tiny production server): static files from dist/frontend,
// index.html for client routes, /api /health /docs forwarded, SSE streamed.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.ico': 'image/x-icon',
};
const PROXIED = /^\/(api|health|docs)(\/|\?|$|-json)/;

export function startStaticServer(root: string, backendUrl: string, port: number): Promise<Server> {
  const backend = new URL(backendUrl);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (PROXIED.test(url)) {
      const upstream = request(
        {
          host: backend.hostname,
          port: backend.port,
          path: url,
          method: req.method,
          headers: { ...req.headers, host: backend.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () =>
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end('{"statusCode":502,"error":"Bad Gateway","message":"backend unreachable"}'),
      );
      req.pipe(upstream);
      return;
    }
    const path = normalize(join(root, decodeURIComponent(url.split('?')[0])));
    const file = path.startsWith(root) && existsSync(path) && statSync(path).isFile() ? path : join(root, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1]?.endsWith('static-server.ts')) {
  const [root = 'dist/frontend', backendUrl = 'http://localhost:8000', port = '4300'] = process.argv.slice(2);
  void startStaticServer(normalize(root), backendUrl, Number(port)).then(() =>
    console.log(`console on http://127.0.0.1:${port}`),
  );
}
