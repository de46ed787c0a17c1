/**
 * A simulated RFC 5905 on-wire exchange between a simulated booking server
 * (in the NTP *client* role) and the reference clock (in the NTP *server*
 * role). The timestamps are computed, not measured, but the arithmetic is the
 * real one (RFC 5905 §8):
 *
 *   θ = ((t2 − t1) + (t3 − t4)) / 2     offset of the reference relative to the client
 *   δ = (t4 − t1) − (t3 − t2)           round-trip network delay
 *
 * Sign convention (decided once, used everywhere in the lab):
 *   estimatedOffsetMs = −θ = how far the booking server is AHEAD of the
 *   reference (positive = server clock fast), so
 *   NTP-corrected time = server time − estimatedOffsetMs.
 *
 * θ is exact only when the two one-way delays are equal; otherwise it is off
 * by (d_out − d_in)/2, and nothing inside the exchange can reveal that: this
 * is the asymmetry error the lab demonstrates.
 */

/** The booking server's clock: reference time → what the server reads. */
export type ClientClock = (referenceMs: number) => number;

export interface NtpExchangeInput {
  /** Reference time at which the booking server sends its request. */
  readonly sendReferenceMs: number;
  readonly clientClock: ClientClock;
  readonly outboundDelayMs: number;
  readonly inboundDelayMs: number;
  /** Time the reference spends between receive and transmit (default 0). */
  readonly serverProcessingMs?: number;
}

export interface NtpTimestamps {
  /** Client transmit, client clock (RFC 5905 "origin"). */
  readonly t1: number;
  /** Server receive, reference clock. */
  readonly t2: number;
  /** Server transmit, reference clock. */
  readonly t3: number;
  /** Client receive, client clock ("destination"). */
  readonly t4: number;
}

export interface NtpExchange {
  readonly timestamps: NtpTimestamps;
  /** RFC 5905 θ: reference minus client. */
  readonly thetaMs: number;
  /** RFC 5905 δ: the round-trip network delay as the client sees it. */
  readonly roundTripDelayMs: number;
  /** −θ: the server's offset relative to the reference (positive = ahead). */
  readonly estimatedOffsetMs: number;
  /** Reference time at which the reply reached the client. */
  readonly receiveReferenceMs: number;
}

export const thetaFrom = ({ t1, t2, t3, t4 }: NtpTimestamps): number => (t2 - t1 + (t3 - t4)) / 2;

export const deltaFrom = ({ t1, t2, t3, t4 }: NtpTimestamps): number => t4 - t1 - (t3 - t2);

export const simulateNtpExchange = (input: NtpExchangeInput): NtpExchange => {
  const processingMs = input.serverProcessingMs ?? 0;
  const arrivalAtReferenceMs = input.sendReferenceMs + input.outboundDelayMs;
  const replyAtReferenceMs = arrivalAtReferenceMs + processingMs;
  const receiveReferenceMs = replyAtReferenceMs + input.inboundDelayMs;
  const timestamps: NtpTimestamps = {
    t1: input.clientClock(input.sendReferenceMs),
    t2: arrivalAtReferenceMs,
    t3: replyAtReferenceMs,
    t4: input.clientClock(receiveReferenceMs),
  };
  const thetaMs = thetaFrom(timestamps);
  return {
    timestamps,
    thetaMs,
    roundTripDelayMs: deltaFrom(timestamps),
    estimatedOffsetMs: -thetaMs,
    receiveReferenceMs,
  };
};
