import type { NtpSample } from '../sntp-client';

/** An NtpSample for unit tests that stub the NTP query: θ, δ and the local instant of the exchange. */
export const ntpSample = (
  offsetMs: number,
  roundTripDelayMs: number,
  options: { readonly server?: string; readonly atMs?: number; readonly rootDistanceMs?: number } = {},
): NtpSample => {
  const atMs = options.atMs ?? 0;
  return {
    server: options.server ?? 'ntp.test:123',
    address: '192.0.2.1',
    offsetMs,
    roundTripDelayMs,
    rootDistanceMs: options.rootDistanceMs ?? roundTripDelayMs / 2 + 1,
    stratum: 2,
    leapIndicator: 0,
    version: 4,
    referenceId: '192.0.2.2',
    precisionLog2: -20,
    rootDelayMs: 1,
    rootDispersionMs: 0.5,
    hostClockUncertaintyMs: 0.001,
    authenticated: false,
    ignoredDatagrams: 0,
    timestamps: {
      t1: atMs - roundTripDelayMs / 2,
      t2: atMs + offsetMs,
      t3: atMs + offsetMs,
      t4: atMs + roundTripDelayMs / 2,
    },
    rawTimestamps: { t1: 0n, t2: 0n, t3: 0n, t4: 0n },
  };
};
