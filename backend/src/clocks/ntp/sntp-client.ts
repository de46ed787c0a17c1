import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { createPreciseHostClock, type HostClock } from './host-clock';
import { NtpQueryError } from './ntp-query-error';
import {
  MODE_SERVER,
  NTP_PACKET_BYTES,
  asciiReferenceId,
  buildClientRequest,
  describeReferenceId,
  parseReplyHeader,
  type NtpReplyHeader,
} from './ntp-packet';
import { formatNtpServerAddress, DEFAULT_NTP_PORT } from './ntp-server-address';
import { epochMsToNtpTimestamp, ntpDifferenceMs, ntpTimestampToEpochMs } from './ntp-timestamp';

/**
 * A small RFC 5905 client (one request, one reply) over UDP. It measures the
 * host clock against one NTP server; it does not filter or discipline.
 */

export interface NtpQueryOptions {
  readonly host: string;
  readonly port?: number;
  /** Bounds the whole query, DNS included. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Test seam: the host clock used for t1 and t4. */
  readonly hostClock?: HostClock;
}

export interface NtpSample {
  /** host:port as queried. */
  readonly server: string;
  /** The address the host name resolved to. */
  readonly address: string;
  /** θ: server − host, positive when the server is ahead of this host. */
  readonly offsetMs: number;
  /** δ: round-trip network delay, server processing excluded. */
  readonly roundTripDelayMs: number;
  readonly stratum: number;
  readonly leapIndicator: 0 | 1 | 2 | 3;
  readonly version: number;
  readonly referenceId: string;
  readonly precisionLog2: number;
  readonly rootDelayMs: number;
  readonly rootDispersionMs: number;
  /** How precisely t1 and t4 could be read from the host clock (± ms); adds to the δ/2 bound. */
  readonly hostClockUncertaintyMs: number;
  /** t1…t4 as epoch ms (with sub-ms fractions). */
  readonly timestamps: { readonly t1: number; readonly t2: number; readonly t3: number; readonly t4: number };
  /** t1…t4 as 64-bit NTP timestamps (t1 is our exact send time; the request carried it with randomised low bits). */
  readonly rawTimestamps: { readonly t1: bigint; readonly t2: bigint; readonly t3: bigint; readonly t4: bigint };
}

const DEFAULT_TIMEOUT_MS = 2000;

/**
 * The transmit timestamp we send is our real t1 with the low 16 bits of the
 * fraction (< 16 µs) randomised: an off-path attacker cannot guess the origin
 * the reply must echo, and we still compute with the exact local t1.
 */
const unguessableTransmitTimestamp = (t1Ms: number): bigint =>
  (epochMsToNtpTimestamp(t1Ms) & ~0xffffn) | BigInt(randomBytes(2).readUInt16BE(0));

/** RFC 5905 §8 sanity checks, in the order a spoofed or broken reply should fail them. */
const rejectionOf = (header: NtpReplyHeader, sentTransmit: bigint, server: string): NtpQueryError | undefined => {
  if (header.version !== 3 && header.version !== 4) {
    return new NtpQueryError(
      'bad-version',
      server,
      `NTP reply from ${server} has version ${header.version} (expected 3 or 4)`,
    );
  }
  if (header.mode !== MODE_SERVER) {
    return new NtpQueryError(
      'bad-mode',
      server,
      `NTP reply from ${server} has mode ${header.mode} (expected 4, server)`,
    );
  }
  if (header.originTimestamp !== sentTransmit) {
    return new NtpQueryError(
      'origin-mismatch',
      server,
      `NTP reply from ${server} does not echo our transmit timestamp (bogus or stale reply)`,
    );
  }
  if (header.stratum === 0) {
    const kissCode = asciiReferenceId(header.referenceIdRaw);
    return new NtpQueryError(
      'kiss-of-death',
      server,
      `NTP server ${server} sent a Kiss-o'-Death: ${kissCode}`,
      kissCode,
    );
  }
  if (header.stratum >= 16) {
    return new NtpQueryError(
      'unsynchronized-stratum',
      server,
      `NTP server ${server} is unsynchronised (stratum ${header.stratum})`,
    );
  }
  if (header.leapIndicator === 3) {
    return new NtpQueryError(
      'unsynchronized-leap',
      server,
      `NTP server ${server} is unsynchronised (leap indicator 3)`,
    );
  }
  if (header.transmitTimestamp === 0n) {
    return new NtpQueryError(
      'zero-transmit-timestamp',
      server,
      `NTP reply from ${server} has a zero transmit timestamp`,
    );
  }
  if (header.receiveTimestamp === 0n) {
    return new NtpQueryError('zero-receive-timestamp', server, `NTP reply from ${server} has a zero receive timestamp`);
  }
  return undefined;
};

const resolve = async (host: string, server: string): Promise<{ address: string; family: 4 | 6 }> => {
  try {
    const { address, family } = await lookup(host);
    return { address, family: family === 6 ? 6 : 4 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new NtpQueryError('dns-failure', server, `cannot resolve NTP server ${server}: ${code}`);
  }
};

export const queryNtpServer = (options: NtpQueryOptions): Promise<NtpSample> => {
  const port = options.port ?? DEFAULT_NTP_PORT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const server = formatNtpServerAddress({ host: options.host, port });

  return new Promise<NtpSample>((fulfil, reject) => {
    let socket: Socket | undefined;
    let settled = false;
    const finish = (outcome: { sample: NtpSample } | { error: NtpQueryError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket?.close();
      } catch {
        // already closed: nothing to release
      }
      if ('sample' in outcome) fulfil(outcome.sample);
      else reject(outcome.error);
    };
    const timer = setTimeout(
      () => finish({ error: new NtpQueryError('timeout', server, `no reply from ${server} within ${timeoutMs} ms`) }),
      timeoutMs,
    );

    resolve(options.host, server).then(
      ({ address, family }) => {
        if (settled) return;
        const udp = createSocket(family === 6 ? 'udp6' : 'udp4');
        socket = udp;
        const hostClock = options.hostClock ?? createPreciseHostClock();
        let sentTransmit = 0n;
        let t1Ms = 0;

        udp.on('error', (error: NodeJS.ErrnoException) => {
          // A connected UDP socket reports ICMP port-unreachable as ECONNREFUSED: fail fast.
          const reason = error.code === 'ECONNREFUSED' ? 'unreachable' : 'socket-error';
          const detail = error.code === 'ECONNREFUSED' ? 'connection refused (nothing listens there)' : error.message;
          finish({ error: new NtpQueryError(reason, server, `NTP server ${server} unreachable: ${detail}`) });
        });
        udp.on('message', (packet: Buffer) => {
          const t4Ms = hostClock.nowMs();
          if (packet.length < NTP_PACKET_BYTES) {
            finish({
              error: new NtpQueryError(
                'short-packet',
                server,
                `NTP reply from ${server} is ${packet.length} bytes (expected at least ${NTP_PACKET_BYTES})`,
              ),
            });
            return;
          }
          const header = parseReplyHeader(packet);
          const rejection = rejectionOf(header, sentTransmit, server);
          if (rejection) {
            finish({ error: rejection });
            return;
          }
          finish({
            sample: sampleFrom(header, {
              server,
              address,
              t1Ms,
              t4Ms,
              hostClockUncertaintyMs: hostClock.uncertaintyMs,
            }),
          });
        });
        udp.connect(port, address, () => {
          if (settled) return;
          t1Ms = hostClock.nowMs();
          sentTransmit = unguessableTransmitTimestamp(t1Ms);
          udp.send(buildClientRequest(sentTransmit));
        });
      },
      (error: NtpQueryError) => finish({ error }),
    );
  });
};

const sampleFrom = (
  header: NtpReplyHeader,
  exchange: { server: string; address: string; t1Ms: number; t4Ms: number; hostClockUncertaintyMs: number },
): NtpSample => {
  // Compute with our exact local t1 (the sent one has randomised low bits).
  const t1 = epochMsToNtpTimestamp(exchange.t1Ms);
  const t4 = epochMsToNtpTimestamp(exchange.t4Ms);
  const t2 = header.receiveTimestamp;
  const t3 = header.transmitTimestamp;
  return {
    server: exchange.server,
    address: exchange.address,
    offsetMs: (ntpDifferenceMs(t2, t1) + ntpDifferenceMs(t3, t4)) / 2,
    roundTripDelayMs: ntpDifferenceMs(t4, t1) - ntpDifferenceMs(t3, t2),
    stratum: header.stratum,
    leapIndicator: header.leapIndicator,
    version: header.version,
    referenceId: describeReferenceId(header.stratum, header.referenceIdRaw),
    precisionLog2: header.precisionLog2,
    rootDelayMs: header.rootDelayMs,
    rootDispersionMs: header.rootDispersionMs,
    hostClockUncertaintyMs: exchange.hostClockUncertaintyMs,
    timestamps: { t1: exchange.t1Ms, t2: ntpTimestampToEpochMs(t2), t3: ntpTimestampToEpochMs(t3), t4: exchange.t4Ms },
    rawTimestamps: { t1, t2, t3, t4 },
  };
};
