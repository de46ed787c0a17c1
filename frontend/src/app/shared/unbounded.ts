/**
 * What the backend records for a bound it does not have (UNBOUNDED_ERROR_MS: one day): a server
 * that never synced, and a truth read against an unsynced reference. JSON has no Infinity.
 */
export const UNBOUNDED_MS = 86_400_000;

export const isUnboundedMs = (ms: number): boolean => ms >= UNBOUNDED_MS;
