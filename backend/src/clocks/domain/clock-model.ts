/**
 * The clock of one simulated booking server, as a pure function of reference
 * ("true") time. Milliseconds everywhere; reference time is epoch ms.
 *
 *   server_time(t) = t + offset + drift_ppm·1e-6·(t − t0) + jitter
 *                      (+ step.byMs once t ≥ step.atMs)
 *                      (strobe: offset alternates offsetMs / altOffsetMs every periodMs)
 */

export interface ClockStep {
  /** Reference time (epoch ms) from which the step applies. */
  readonly atMs: number;
  /** How far the clock jumps (positive = forward). */
  readonly byMs: number;
}

export interface ClockStrobe {
  /** Every periodMs of reference time (counted from t0) the offset flips. */
  readonly periodMs: number;
  /** The offset used during odd periods (offsetMs is used in even ones). */
  readonly altOffsetMs: number;
}

export interface ClockConfig {
  /** Constant offset from reference time; positive = server ahead. */
  readonly offsetMs: number;
  /** Frequency error in parts per million; positive = server runs fast. */
  readonly driftPpm: number;
  /** Each reading is off by a uniform amount in ±jitterMs. */
  readonly jitterMs: number;
  /** Reference time (epoch ms) at which the drift term is zero. */
  readonly t0Ms: number;
  /** One-way network delay server → NTP reference. */
  readonly outboundDelayMs: number;
  /** One-way network delay NTP reference → server. */
  readonly inboundDelayMs: number;
  /** A server that never manages an NTP exchange (firewalled, misconfigured). */
  readonly neverSyncs: boolean;
  /**
   * Seeded runs only: how long an attempt takes from this booking server to the
   * event store (the live lab measures the real path). Log order is then
   * measured, not equal to true order by construction. Default 0.
   */
  readonly logDelayMs?: number;
  /** Seeded runs only: each attempt's path to the store varies by a uniform amount in [0, logDelayJitterMs]. */
  readonly logDelayJitterMs?: number;
  readonly step?: ClockStep;
  readonly strobe?: ClockStrobe;
}

/** A perfect clock with a perfect network: the `synchronized` baseline. */
export const perfectClock = (t0Ms = 0): ClockConfig => ({
  offsetMs: 0,
  driftPpm: 0,
  jitterMs: 0,
  t0Ms,
  outboundDelayMs: 0,
  inboundDelayMs: 0,
  neverSyncs: false,
});

/** The offset term at reference time t, honouring the strobe if any. */
export const configuredOffsetMs = (config: ClockConfig, referenceMs: number): number => {
  if (!config.strobe || config.strobe.periodMs <= 0) return config.offsetMs;
  const period = Math.floor((referenceMs - config.t0Ms) / config.strobe.periodMs);
  return Math.abs(period) % 2 === 0 ? config.offsetMs : config.strobe.altOffsetMs;
};

/**
 * The deterministic part of the skew (everything except jitter): what the
 * server's clock is off by at reference time t. Positive = server ahead.
 */
export const trueSkewMs = (config: ClockConfig, referenceMs: number): number => {
  const driftMs = config.driftPpm * 1e-6 * (referenceMs - config.t0Ms);
  const stepMs = config.step && referenceMs >= config.step.atMs ? config.step.byMs : 0;
  return configuredOffsetMs(config, referenceMs) + driftMs + stepMs;
};

/**
 * What the server's clock reads at reference time t. `jitterSampleMs` is the
 * already-drawn jitter for this reading (see `sampleJitterMs`), passed in so
 * this function stays pure and the caller controls the random stream.
 */
export const serverTime = (config: ClockConfig, referenceMs: number, jitterSampleMs: number): number =>
  referenceMs + trueSkewMs(config, referenceMs) + jitterSampleMs;

export type ClockChange = Partial<
  Pick<
    ClockConfig,
    | 'offsetMs'
    | 'driftPpm'
    | 'jitterMs'
    | 'outboundDelayMs'
    | 'inboundDelayMs'
    | 'neverSyncs'
    | 'logDelayMs'
    | 'logDelayJitterMs'
  >
>;

/**
 * The clock model from `atReferenceMs` on. Continuous unless a step is asked
 * for: a change that leaves offsetMs out keeps what the clock reads now
 * (the drift accumulated under the old rate stays in the offset term, and t0
 * stays put so a strobe keeps its phase). A new offsetMs is a requested
 * step: from now the clock reads reference + offsetMs, drift counted from
 * now, and a step already taken is folded away (a future one is kept).
 */
export const reconfigure = (config: ClockConfig, change: ClockChange, atReferenceMs: number): ClockConfig => {
  if (change.offsetMs !== undefined) {
    const { step, ...rest } = config;
    const stepStillAhead = step !== undefined && atReferenceMs < step.atMs;
    return { ...rest, ...change, t0Ms: atReferenceMs, ...(stepStillAhead ? { step } : {}) };
  }
  const driftPpm = change.driftPpm ?? config.driftPpm;
  const carriedMs = (config.driftPpm - driftPpm) * 1e-6 * (atReferenceMs - config.t0Ms);
  return {
    ...config,
    ...change,
    offsetMs: config.offsetMs + carriedMs,
    ...(config.strobe ? { strobe: { ...config.strobe, altOffsetMs: config.strobe.altOffsetMs + carriedMs } } : {}),
  };
};
