// A loopback port nothing listens on now (the kernel picks it; free for UDP too, most likely).
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
