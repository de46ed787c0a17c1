import { serverTime, type ClockConfig } from './clock-model';
import { simulateNtpExchange, type NtpExchange } from './ntp-exchange';
import { sampleJitterMs, type RandomSource } from './seeded-random';
import { PHI_PPM, synchronizedFrom, unbounded, type SyncState } from './sync-state';

export type SimulatedSyncResult =
  | { readonly kind: 'never-syncs'; readonly state: SyncState }
  | { readonly kind: 'synchronized'; readonly state: SyncState; readonly exchange: NtpExchange };

/**
 * PHI plus |drift| per ms of the SERVER's clock, which is what the bound is
 * widened by: a clock running slow by r counts only (1 − r) ms for each true
 * ms, so the drift per server ms is r / (1 − r). The difference is 0.25 ppm at
 * 500 ppm, but without it the bound fails past ~3,900 ppm slow.
 */
export const driftAllowanceForPpm = (driftPpm: number): number => {
  const drift = Math.abs(driftPpm) * 1e-6;
  return PHI_PPM + (drift / (1 - drift)) * 1e6;
};

/**
 * One NTP sync of a simulated booking server against the reference, at the
 * given reference time. Jitter for t1 and t4 is drawn from `random`, so a
 * seeded run syncs identically every time.
 *
 * The drift allowance is PHI plus the configured |drift| (per server ms, see
 * driftAllowanceForPpm): the lab knows the drift it configured, and a real NTP
 * daemon would have estimated its frequency error, leaving roughly PHI of residual.
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
    driftAllowancePpm: driftAllowanceForPpm(config.driftPpm),
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
  });
  return { kind: 'synchronized', state, exchange };
};
