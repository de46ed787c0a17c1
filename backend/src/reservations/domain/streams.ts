/**
 * Stream layout. Each attempt gets its own stream so booking servers never
 * contend when they record attempts (they do not coordinate: that is the
 * phenomenon under study). The seat stream holds only the resolution, so its
 * revision is the single guard that allows exactly one assignment.
 * Seeded scenario runs get their own seat streams, so a run never touches the live seats;
 * so does each live session after a reset (lab-session.ts).
 */
export const seatStreamId = (seatId: number, runId: string | null = null, session = 1): string =>
  runId ? `run-${runId}-seat-${seatId}` : session > 1 ? `session-${session}-seat-${seatId}` : `seat-${seatId}`;
export const attemptStreamId = (attemptId: string): string => `attempt-${attemptId}`;
