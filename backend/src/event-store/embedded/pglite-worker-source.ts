/**
 * Source of the worker thread that hosts PGlite and its socket server.
 *
 * Why a worker thread: PGlite's CommonJS build loads Node built-ins with
 * dynamic `import()`, which jest's module sandbox refuses unless the whole test
 * run uses --experimental-vm-modules. A worker runs in plain Node, outside that
 * sandbox, so the same code serves tests, benchmarks and the app. Bonus: the
 * WASM engine no longer competes with the application's event loop.
 *
 * It is a plain-JS string (not a compiled function's toString()) so coverage
 * instrumentation can never leak into it. Protocol with the parent:
 *   parent → worker: { type: 'close' }
 *   worker → parent: { type: 'ready', host, port } (host = the socket path, port 0, on a Unix socket) | { type: 'failed', message } | { type: 'closed' }
 */
export const PGLITE_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketPath);

// pglite-socket queues protocol messages one by one and keeps a client on the
// single backend only while an explicit transaction is open, so two clients'
// extended-query sequences (Parse/Bind/Execute ... Sync) can interleave and one
// Execute runs against the other's unnamed portal ("portal "" does not
// exist"). The queue asks db.isInTransaction() whether the last client keeps
// the backend: answer true from the first extended-query message to its Sync.
function sequenceAware(db) {
  let sequenceOpen = false;
  const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48, 0x46]); // P B D E C H F
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => sequenceOpen || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return (message, options) => {
          const type = message[0];
          if (type === 0x53 || type === 0x51 || type === 0x58) sequenceOpen = false; // Sync, Query, Terminate
          else if (EXTENDED.has(type)) sequenceOpen = true;
          return target.execProtocolRawStream(message, options);
        };
      }
      if (property === 'exec') {
        // The server rolls back a vanished client's transaction with exec(); that ends its sequence too.
        return (query, options) => {
          sequenceOpen = false;
          return target.exec(query, options);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function main() {
  const db = await PGlite.create({
    dataDir: workerData.dataDir,
    loadDataDir: workerData.loadDataDir && new Blob([workerData.loadDataDir], { type: 'application/x-gzip' }),
    // PGlite's default shared_buffers (128 MB) is touched at start: 32 MB took the process from
    // 491 to 380 MB after start and from 674 to 563 MB at the peak of a 20,000-attempt seeded run,
    // at the same speed (16 MB was slower and no smaller at the peak). Pages it evicts stay in the
    // operating system's file cache.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
  });
  const listenOn = workerData.listenPath ? { path: workerData.listenPath } : { host: '127.0.0.1', port: 0 };
  const server = new PGLiteSocketServer({
    db: sequenceAware(db),
    ...listenOn,
    maxConnections: workerData.maxConnections,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  parentPort.on('message', async (message) => {
    if (!message || message.type !== 'close') return;
    try {
      await server.stop();
      // stop() detaches handlers without awaiting them; a detach may still roll
      // back an abandoned transaction, so let that run before closing PGlite.
      await new Promise((resolve) => setTimeout(resolve, 10));
      await db.close();
    } finally {
      parentPort.postMessage({ type: 'closed' });
      parentPort.close();
    }
  });
  if (workerData.listenPath) {
    parentPort.postMessage({ type: 'ready', host: workerData.listenPath, port: 0 });
    return;
  }
  const [host, port] = server.getServerConn().split(':');
  parentPort.postMessage({ type: 'ready', host, port: Number(port) });
}

main().catch((error) => {
  parentPort.postMessage({ type: 'failed', message: String((error && error.stack) || error) });
  parentPort.close();
});
`;
