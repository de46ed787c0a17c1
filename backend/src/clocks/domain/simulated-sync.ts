import { serverTime, type ClockConfig } from './clock-model';
import { simulateNtpExchange, type NtpExchange } from './ntp-exchange';
import { sampleJitterMs, type RandomSource } from './seeded-random';
import { PHI_PPM, synchronizedFrom, unbounded, type SyncState } from './sync-state';

export type SimulatedSyncResult =
  | { readonly kind: 'never-syncs'; readonly state: SyncState }
  | { readonly kind: 'synchronized'; readonly state: SyncState; readonly exchange: NtpExchange };

/**
 * One NTP sync of a simulated booking server against the reference, at the
 * given reference time. Jitter for t1 and t4 is drawn from `random`, so a
 * seeded run syncs identically every time.
 *
 * The drift allowance is PHI plus the configured |drift|: the lab knows the
 * drift it configured, and a real NTP daemon would have estimated its
 * frequency error, leaving roughly PHI of residual.
 */
export const syncSimulatedServer = (
  config: ClockConfig,
  previous: SyncState,
  sendReferenceMs: number,
  random: RandomSource,
  options: { readonly staleAfterMs?: number } = {},
): SimulatedSyncResult => {
  // No exchange happens: whatever the server believed, it can no longer bound it.
  if (config.neverSyncs) return { kind: 'never-syncs', state: unbounded(previous, 'never_syncs') };
  const exchange = simulateNtpExchange({
    sendReferenceMs,
    clientClock: (referenceMs) => serverTime(config, referenceMs, sampleJitterMs(random, config.jitterMs)),
    outboundDelayMs: config.outboundDelayMs,
    inboundDelayMs: config.inboundDelayMs,
  });
  const state = synchronizedFrom(exchange, {
    readPrecisionMs: config.jitterMs,
    driftAllowancePpm: PHI_PPM + Math.abs(config.driftPpm),
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
  });
  return { kind: 'synchronized', state, exchange };
};
