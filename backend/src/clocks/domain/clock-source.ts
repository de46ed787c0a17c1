/**
 * Where the booking servers' clocks come from (CLOCK_SOURCE): `simulated`
 * clock models synced by a computed RFC 5905 exchange (the default), or the
 * hosting process's `real` wall clock synced by a real exchange with
 * NTP_SERVER (application/real-process-clock.ts).
 */
export const CLOCK_SOURCES = ['simulated', 'real'] as const;

export type ClockSource = (typeof CLOCK_SOURCES)[number];
