import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { PHI_PPM } from '../domain/sync-state';
import { appendMac } from './auth/ntp-mac';
import type { NtpSymmetricKey } from './auth/ntp-symmetric-key';
import { createPreciseHostClock, type HostClock } from './host-clock';
import { NtpQueryError } from './ntp-query-error';
import { buildClientRequest, describeReferenceId, type NtpReplyHeader } from './ntp-packet';
import { judgeReply, type ReplyVerdict } from './ntp-reply-checks';
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
  /** Sign the request and accept only replies with a valid MAC from this key. */
  readonly key?: NtpSymmetricKey;
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
  /**
   * λ, RFC 5905's root distance: max(δ, 0)/2 + root delay/2 + root dispersion
   * + the precision of both clocks. The true offset lies within θ ± λ.
   */
  readonly rootDistanceMs: number;
  readonly stratum: number;
  readonly leapIndicator: 0 | 1 | 2 | 3;
  readonly version: number;
  readonly referenceId: string;
  readonly precisionLog2: number;
  readonly rootDelayMs: number;
  readonly rootDispersionMs: number;
  /** How precisely t1 and t4 could be read from the host clock (± ms); adds to the δ/2 bound. */
  readonly hostClockUncertaintyMs: number;
  /** The reply carried a valid MAC from the configured key. */
  readonly authenticated: boolean;
  /** Datagrams that arrived before the reply and were not a genuine answer (junk, spoofed, unauthenticated). */
  readonly ignoredDatagrams: number;
  /** t1…t4 as epoch ms (with sub-ms fractions). */
  readonly timestamps: { readonly t1: number; readonly t2: number; readonly t3: number; readonly t4: number };
  /** t1…t4 as 64-bit NTP timestamps (t1 is our send time; the request carried a random nonce instead). */
  readonly rawTimestamps: { readonly t1: bigint; readonly t2: bigint; readonly t3: bigint; readonly t4: bigint };
}

const DEFAULT_TIMEOUT_MS = 2000;

/**
 * The request's transmit timestamp is a random 64-bit nonce, as NTP client
 * data minimisation recommends (and chrony does): the server only echoes it,
 * an off-path attacker cannot guess the origin a reply must carry, and our
 * real t1 can be read after the packet is built, right before it leaves.
 */
const requestNonce = (): bigint => {
  for (;;) {
    const nonce = randomBytes(8).readBigUInt64BE(0);
    if (nonce !== 0n) return nonce;
  }
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

type IgnoredVerdict = Extract<ReplyVerdict, { kind: 'ignore' }>;

const timeoutError = (
  server: string,
  timeoutMs: number,
  ignored: { count: number; mostTelling: IgnoredVerdict | undefined },
): NtpQueryError =>
  ignored.mostTelling
    ? new NtpQueryError(
        ignored.mostTelling.reason,
        server,
        `no valid reply from ${server} within ${timeoutMs} ms; ignored ${ignored.count} datagram(s), the most telling: ${ignored.mostTelling.detail}`,
        undefined,
        ignored.count,
      )
    : new NtpQueryError('timeout', server, `no reply from ${server} within ${timeoutMs} ms`);

export const queryNtpServer = (options: NtpQueryOptions): Promise<NtpSample> => {
  const port = options.port ?? DEFAULT_NTP_PORT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const server = formatNtpServerAddress({ host: options.host, port });
  const ignored: { count: number; mostTelling: IgnoredVerdict | undefined } = { count: 0, mostTelling: undefined };

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
    const timer = setTimeout(() => finish({ error: timeoutError(server, timeoutMs, ignored) }), timeoutMs);

    resolve(options.host, server).then(
      ({ address, family }) => {
        if (settled) return;
        const udp = createSocket(family === 6 ? 'udp6' : 'udp4');
        socket = udp;
        const hostClock = options.hostClock ?? createPreciseHostClock();
        const sentTransmit = requestNonce();
        const header = buildClientRequest(sentTransmit);
        const request = options.key ? appendMac(header, options.key) : header;
        let t1Ms = 0;

        udp.on('error', (error: NodeJS.ErrnoException) => {
          // A connected UDP socket reports ICMP port-unreachable as ECONNREFUSED: fail fast.
          const reason = error.code === 'ECONNREFUSED' ? 'unreachable' : 'socket-error';
          const detail = error.code === 'ECONNREFUSED' ? 'connection refused (nothing listens there)' : error.message;
          finish({ error: new NtpQueryError(reason, server, `NTP server ${server} unreachable: ${detail}`) });
        });
        udp.on('message', (packet: Buffer) => {
          const t4Ms = hostClock.nowMs();
          const verdict = judgeReply(packet, { server, sentTransmit, key: options.key });
          if (verdict.kind === 'ignore') {
            ignored.count += 1;
            if (!ignored.mostTelling || verdict.rank >= ignored.mostTelling.rank) ignored.mostTelling = verdict;
            return;
          }
          if (verdict.kind === 'reject') {
            finish({ error: verdict.error });
            return;
          }
          finish({
            sample: sampleFrom(verdict.header, {
              server,
              address,
              t1Ms,
              t4Ms,
              hostClockUncertaintyMs: hostClock.uncertaintyMs,
              authenticated: options.key !== undefined,
              ignoredDatagrams: ignored.count,
            }),
          });
        });
        // A connected socket: the kernel drops datagrams from any other address or port.
        udp.connect(port, address, () => {
          if (settled) return;
          // The datagram leaves inside send() (libuv tries a synchronous sendmsg first), so read t1
          // just before it, with the packet (and its MAC) already built. NTP-CLIENT.md has the figures.
          t1Ms = hostClock.nowMs();
          udp.send(request);
        });
      },
      (error: NtpQueryError) => finish({ error }),
    );
  });
};

const precisionMs = (precisionLog2: number): number => 2 ** precisionLog2 * 1000;

const sampleFrom = (
  header: NtpReplyHeader,
  exchange: {
    server: string;
    address: string;
    t1Ms: number;
    t4Ms: number;
    hostClockUncertaintyMs: number;
    authenticated: boolean;
    ignoredDatagrams: number;
  },
): NtpSample => {
  const t1 = epochMsToNtpTimestamp(exchange.t1Ms);
  const t4 = epochMsToNtpTimestamp(exchange.t4Ms);
  const t2 = header.receiveTimestamp;
  const t3 = header.transmitTimestamp;
  const roundTripDelayMs = ntpDifferenceMs(t4, t1) - ntpDifferenceMs(t3, t2);
  return {
    server: exchange.server,
    address: exchange.address,
    offsetMs: (ntpDifferenceMs(t2, t1) + ntpDifferenceMs(t3, t4)) / 2,
    roundTripDelayMs,
    rootDistanceMs:
      Math.max(0, roundTripDelayMs) / 2 +
      header.rootDelayMs / 2 +
      header.rootDispersionMs +
      // RFC 5905's Φ·(T4 − T1): the host clock may drift during the exchange itself.
      PHI_PPM * 1e-6 * Math.max(0, exchange.t4Ms - exchange.t1Ms) +
      exchange.hostClockUncertaintyMs +
      precisionMs(header.precisionLog2),
    stratum: header.stratum,
    leapIndicator: header.leapIndicator,
    version: header.version,
    referenceId: describeReferenceId(header.stratum, header.referenceIdRaw),
    precisionLog2: header.precisionLog2,
    rootDelayMs: header.rootDelayMs,
    rootDispersionMs: header.rootDispersionMs,
    hostClockUncertaintyMs: exchange.hostClockUncertaintyMs,
    authenticated: exchange.authenticated,
    ignoredDatagrams: exchange.ignoredDatagrams,
    timestamps: { t1: exchange.t1Ms, t2: ntpTimestampToEpochMs(t2), t3: ntpTimestampToEpochMs(t3), t4: exchange.t4Ms },
    rawTimestamps: { t1, t2, t3, t4 },
  };
};
