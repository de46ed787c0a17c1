import { createSocket, type Socket } from 'node:dgram';
import { createPreciseHostClock } from '../host-clock';
import { epochMsToNtpTimestamp } from '../ntp-timestamp';

/**
 * A FAKE NTP server for tests: a UDP socket on loopback that answers NTP
 * requests the way a test wants, with a correct reply from a clock skewed by
 * `skewMs`, then mutated (or replaced, or suppressed) by `shape`. It is no
 * real NTP server (chrony is, see chrony-server.ts): it exists for the
 * replies a real server would never send (lying, malformed, junk, bad MACs).
 */
export type ReplyShaper = (goodReply: Buffer, request: Buffer) => Buffer | undefined;

export interface FakeNtpServerBehaviour {
  /** The fake server's clock minus the host clock. */
  readonly skewMs?: number;
  readonly shape?: ReplyShaper;
  /**
   * Emulates a network path on loopback: wait this long before stamping the
   * receive time, and as long again after stamping the transmit time.
   */
  readonly oneWayDelayMs?: number;
  /** Datagrams sent from the server's own address and port before each real reply (junk, spoofed replies). */
  readonly before?: (request: Buffer) => readonly Buffer[];
}

export type FakeNtpServerOptions = FakeNtpServerBehaviour;

export interface FakeNtpServer {
  readonly port: number;
  /** How many requests arrived. */
  requests(): number;
  /** Every request received, oldest first (to check what the client sent, e.g. its MAC). */
  receivedRequests(): readonly Buffer[];
  /** Changes how the next requests are answered (a server that goes silent, returns, starts lying). */
  behave(behaviour: FakeNtpServerBehaviour): void;
  close(): Promise<void>;
}

export const goodReply = (request: Buffer, serverNowMs: number): Buffer => {
  const reply = Buffer.alloc(48);
  reply[0] = (0 << 6) | (4 << 3) | 4; // LI 0, VN 4, mode 4 (server)
  reply[1] = 2; // stratum
  reply[2] = 6; // poll
  reply.writeInt8(-20, 3); // precision ~1 µs
  reply.writeUInt32BE(0x00000100, 4); // root delay ≈ 3.9 ms
  reply.writeUInt32BE(0x00000080, 8); // root dispersion ≈ 2 ms
  Buffer.from([127, 0, 0, 1]).copy(reply, 12);
  reply.writeBigUInt64BE(epochMsToNtpTimestamp(serverNowMs - 60_000), 16); // reference timestamp
  request.copy(reply, 24, 40, 48); // origin = the client's transmit timestamp
  const nowTimestamp = epochMsToNtpTimestamp(serverNowMs);
  reply.writeBigUInt64BE(nowTimestamp, 32); // receive
  reply.writeBigUInt64BE(nowTimestamp, 40); // transmit
  return reply;
};

/** A reply shaper that never answers: a silent (unreachable, firewalled, dead) server. */
export const silent: ReplyShaper = () => undefined;

const after = (ms: number, action: () => void): void => {
  if (ms > 0) setTimeout(action, ms);
  else action();
};

export const startFakeNtpServer = (options: FakeNtpServerOptions = {}): Promise<FakeNtpServer> =>
  new Promise((resolve) => {
    const socket: Socket = createSocket('udp4');
    const received: Buffer[] = [];
    let behaviour: FakeNtpServerBehaviour = options;
    // Sub-ms stamps, like a real server: Date.now() would bias every offset by −0.5 ms.
    const hostClock = createPreciseHostClock();
    socket.on('message', (request, remote) => {
      received.push(Buffer.from(request));
      const current = behaviour;
      const delayMs = current.oneWayDelayMs ?? 0;
      for (const datagram of current.before?.(request) ?? []) socket.send(datagram, remote.port, remote.address);
      after(delayMs, () => {
        const reply = goodReply(request, hostClock.nowMs() + (current.skewMs ?? 0));
        const shaped = current.shape ? current.shape(reply, request) : reply;
        if (shaped) after(delayMs, () => socket.send(shaped, remote.port, remote.address));
      });
    });
    socket.bind(0, '127.0.0.1', () => {
      resolve({
        port: socket.address().port,
        requests: () => received.length,
        receivedRequests: () => received,
        behave: (next) => {
          behaviour = next;
        },
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
