import type { NtpSymmetricKey } from './auth/ntp-symmetric-key';
import type { HostClock } from './host-clock';
import { NtpQueryError, type NtpFailureReason } from './ntp-query-error';
import { formatNtpServerAddress, type NtpServerAddress } from './ntp-server-address';
import type { NtpQueryOptions, NtpSample } from './sntp-client';

export type NtpQuery = (options: NtpQueryOptions) => Promise<NtpSample>;

export type BurstOutcome =
  | { readonly server: string; readonly sample: NtpSample }
  | {
      readonly server: string;
      readonly failure: {
        readonly reason: NtpFailureReason;
        readonly detail: string;
        readonly ignoredDatagrams: number;
      };
    };

/**
 * A few exchanges with one source, sequentially; the one with the smallest
 * round-trip delay wins (the idea of RFC 5905's clock filter: the least
 * delayed sample is the least disturbed by queueing).
 */
export const queryBurst = async (
  address: NtpServerAddress,
  settings: {
    readonly samples: number;
    readonly timeoutMs: number;
    readonly hostClock: HostClock;
    readonly key?: NtpSymmetricKey;
    readonly query: NtpQuery;
  },
): Promise<BurstOutcome> => {
  const server = formatNtpServerAddress(address);
  const samples: NtpSample[] = [];
  let failure: { reason: NtpFailureReason; detail: string; ignoredDatagrams: number } | undefined;
  for (let attempt = 0; attempt < settings.samples; attempt += 1) {
    try {
      samples.push(
        await settings.query({
          host: address.host,
          port: address.port,
          timeoutMs: settings.timeoutMs,
          hostClock: settings.hostClock,
          key: settings.key,
        }),
      );
    } catch (error) {
      failure =
        error instanceof NtpQueryError
          ? { reason: error.reason, detail: error.message, ignoredDatagrams: error.ignoredDatagrams }
          : { reason: 'socket-error', detail: `NTP query to ${server} failed: ${String(error)}`, ignoredDatagrams: 0 };
      // An unreachable or refusing server will not answer the next query either.
      if (samples.length === 0) break;
    }
  }
  const best = samples.reduce<NtpSample | undefined>(
    (a, b) => (a === undefined || b.roundTripDelayMs < a.roundTripDelayMs ? b : a),
    undefined,
  );
  if (best) return { server, sample: best };
  return {
    server,
    failure: failure ?? { reason: 'timeout', detail: `no NTP sample from ${server}`, ignoredDatagrams: 0 },
  };
};
