// The cluster's front door: one port for the console and the API. A
// reservation goes to the node hosting its booking server (read from the
// body's server_id, as a node refuses one it does not host with 421); every
// other request goes round-robin. Bodies are small JSON, so buffering one is
// cheap; responses (SSE included) are streamed through untouched.
import http from 'node:http';

const MAX_BODY_BYTES = 64 * 1024;

/** nodes: [{ name, url, hosted: ['server-1', ...] }] */
export const startBalancer = ({ port, host, nodes, log }) => {
  let next = 0;
  const roundRobin = () => nodes[next++ % nodes.length];
  const hostOf = (serverId) => nodes.find((node) => node.hosted.includes(serverId));

  const forward = (request, response, target, body) => {
    const url = new URL(request.url, target.url);
    const upstream = http.request(
      url,
      {
        method: request.method,
        headers: { ...request.headers, host: url.host, 'x-forwarded-for': request.socket.remoteAddress },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ statusCode: 502, error: 'Bad Gateway', message: [`${target.name}: ${error.message}`] }),
      );
    });
    response.on('close', () => upstream.destroy());
    if (body) upstream.end(body);
    else request.pipe(upstream);
  };

  const server = http.createServer((request, response) => {
    if (request.method !== 'POST' || !request.url?.startsWith('/api/reservations')) {
      forward(request, response, roundRobin());
      return;
    }
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      let serverId;
      try {
        serverId = JSON.parse(body.toString('utf8'))?.server_id;
      } catch {
        // Not JSON: any node answers 400 for it.
      }
      forward(request, response, (typeof serverId === 'string' && hostOf(serverId)) || roundRobin(), body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      log(`load balancer on http://${host === '0.0.0.0' ? 'localhost' : host}:${server.address().port}`);
      resolve(server);
    });
  });
};
