/**
 * A TCP relay that a test can cut and restore, to simulate a database that
 * goes away and comes back without touching the database itself.
 * `stop()` closes the listener AND destroys every live socket (a pool's
 * idle connections see the server vanish, as with a real outage);
 * `start()` listens again on the same port so the app's DATABASE_URL stays valid.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port the app connects to; stable across stop/start. */
  readonly port: number;
  readonly running: boolean;
  start(): Promise<void>;
  /** Stops listening and cuts every relayed connection. Idempotent. */
  stop(): Promise<void>;
}

export const startTcpProxy = async (target: { host: string; port: number }, port = 0): Promise<TcpProxy> => {
  const liveSockets = new Set<Socket>();
  let server: Server | null = null;
  let boundPort = port;

  const track = (socket: Socket): void => {
    liveSockets.add(socket);
    socket.once('close', () => liveSockets.delete(socket));
  };

  const relay = (client: Socket): void => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    // Either side failing ends the pair: the other side sees a reset, like a dropped link.
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const start = async (): Promise<void> => {
    if (server) return;
    const listening = createServer(relay);
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(boundPort, '127.0.0.1', () => {
        listening.off('error', reject);
        resolve();
      });
    });
    const address = listening.address();
    if (typeof address === 'object' && address) boundPort = address.port;
    server = listening;
  };

  const stop = async (): Promise<void> => {
    const closing = server;
    if (!closing) return;
    server = null;
    const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
    for (const socket of liveSockets) socket.destroy();
    liveSockets.clear();
    await closed;
  };

  await start();
  return {
    get port() {
      return boundPort;
    },
    get running() {
      return server !== null;
    },
    start,
    stop,
  };
};
