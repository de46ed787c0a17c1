/**
 * How the reference turns NTP measurements into the offset it adds to the
 * local clock (the host's monotonic clock, anchored once to its wall clock),
 * pure and in local milliseconds.
 *
 * - Between syncs, and in holdover when no source answers, the offset follows
 *   the last measurement plus the frequency estimated across syncs (if one
 *   could be measured, never across a sync the prediction cannot explain), and its uncertainty grows at RFC 5905's PHI
 *   (15 ppm, the frequency tolerance) plus the frequency estimate's own error.
 * - A measurement looser than what the earlier ones predict for its instant,
 *   and agreeing with that prediction, is kept out: the held estimate is the
 *   better one.
 * - A new measurement never steps an offset already in use: the applied
 *   offset slews towards the new target at `maxSlewPpm` (500 ppm, ntpd's
 *   slew limit, by default), so the reference moves at 1 ± 0.0005 of real
 *   time and stays strictly increasing.
 * - The first sync steps, unless the step would go backwards past readings
 *   already handed out; then it slews too (see NTP-CLIENT.md, "First sync").
 *   Any sync steps while no reading has been handed out yet (a start-up
 *   that syncs again because the first answer was loose).
 */
import { PHI_PPM } from '../../domain/sync-state';

/** A frequency estimate is kept only if measurement noise can fake at most this much of it. */
export const TRUSTED_FREQUENCY_ERROR_PPM = PHI_PPM;
/** ntpd's limit on the frequency correction; beyond it the "estimate" is noise or a broken source. */
export const MAX_FREQUENCY_PPM = 500;

export interface OffsetMeasurement {
  /** Reference − local clock, ms. */
  readonly offsetMs: number;
  /** Local time the offset was measured at. */
  readonly atMs: number;
  /** Bound on the measurement's error (root distance, or the combined sources' bound). */
  readonly uncertaintyMs: number;
}

interface Anchor extends OffsetMeasurement {
  /** Rate of change of the offset, ppm; 0 until two syncs far enough apart measure it. */
  readonly frequencyPpm: number;
  readonly frequencyErrorPpm: number;
  readonly frequencyMeasured: boolean;
}

/** The part of a new target not yet applied: applied = target − remaining, shrinking at the slew rate. */
interface Slew {
  readonly residualMs: number;
  readonly fromMs: number;
}

export interface DisciplineState {
  readonly anchor: Anchor | null;
  readonly slew: Slew | null;
  readonly maxSlewPpm: number;
}

export const initialDiscipline = (maxSlewPpm: number): DisciplineState => {
  if (!(maxSlewPpm > 0 && maxSlewPpm < 1e6))
    throw new RangeError(`slew rate must be in (0, 1e6) ppm, got ${maxSlewPpm}`);
  return { anchor: null, slew: null, maxSlewPpm };
};

const ppm = (value: number): number => value * 1e-6;

/** The offset the measurements predict for `atMs` (0 before the first sync: the local clock stands in). */
export const targetOffsetAt = (state: DisciplineState, atMs: number): number =>
  state.anchor ? state.anchor.offsetMs + ppm(state.anchor.frequencyPpm) * (atMs - state.anchor.atMs) : 0;

/** Signed part of the target still to be slewed in at `atMs`. */
export const slewRemainingAt = (state: DisciplineState, atMs: number): number => {
  if (!state.slew) return 0;
  const slewedMs = ppm(state.maxSlewPpm) * Math.max(0, atMs - state.slew.fromMs);
  const left = Math.max(0, Math.abs(state.slew.residualMs) - slewedMs);
  return Math.sign(state.slew.residualMs) * left;
};

/** What the reference adds to the local clock at `atMs`. */
export const appliedOffsetAt = (state: DisciplineState, atMs: number): number =>
  targetOffsetAt(state, atMs) - slewRemainingAt(state, atMs);

/** Bound on |target − truth| at `atMs`: the measurement's bound, grown since. */
export const predictionUncertaintyAt = (state: DisciplineState, atMs: number): number => {
  if (!state.anchor) return Number.POSITIVE_INFINITY;
  const elapsedMs = Math.max(0, atMs - state.anchor.atMs);
  return state.anchor.uncertaintyMs + ppm(PHI_PPM + state.anchor.frequencyErrorPpm) * elapsedMs;
};

/** Bound on |applied − truth| at `atMs`: the prediction's bound plus what is still to be slewed. */
export const appliedUncertaintyAt = (state: DisciplineState, atMs: number): number =>
  predictionUncertaintyAt(state, atMs) + Math.abs(slewRemainingAt(state, atMs));

export const frequencyEstimate = (
  state: DisciplineState,
): { readonly frequencyPpm: number; readonly errorPpm: number } | null =>
  state.anchor?.frequencyMeasured
    ? { frequencyPpm: state.anchor.frequencyPpm, errorPpm: state.anchor.frequencyErrorPpm }
    : null;

type Frequency = Pick<Anchor, 'frequencyPpm' | 'frequencyErrorPpm' | 'frequencyMeasured'>;

const frequencyOf = (anchor: Anchor): Frequency => ({
  frequencyPpm: anchor.frequencyPpm,
  frequencyErrorPpm: anchor.frequencyErrorPpm,
  frequencyMeasured: anchor.frequencyMeasured,
});

const nextFrequency = (previous: Anchor, measurement: OffsetMeasurement): Frequency => {
  const kept = frequencyOf(previous);
  const intervalMs = measurement.atMs - previous.atMs;
  if (intervalMs <= 0) return kept;
  const errorPpm = ((measurement.uncertaintyMs + previous.uncertaintyMs) / intervalMs) * 1e6;
  const frequencyPpm = ((measurement.offsetMs - previous.offsetMs) / intervalMs) * 1e6;
  if (errorPpm > TRUSTED_FREQUENCY_ERROR_PPM || Math.abs(frequencyPpm) > MAX_FREQUENCY_PPM) return kept;
  return { frequencyPpm, frequencyErrorPpm: errorPpm, frequencyMeasured: true };
};

/**
 * A looser measurement that agrees with what the measurements so far predict
 * (their bounds overlap) tells the reference nothing new: a loaded machine's
 * answer can be ±4.5 ms while the estimate is ±1.2 ms, and slewing towards it
 * would only lose accuracy. One that disagrees proves the held bound wrong,
 * and wins. The prediction, not the applied offset: a slew still under way is
 * the application lagging, not doubt about the target.
 */
const heldEstimateIsBetter = (state: DisciplineState, measurement: OffsetMeasurement): boolean =>
  state.anchor !== null &&
  agreesWithPrediction(state, measurement) &&
  measurement.uncertaintyMs > predictionUncertaintyAt(state, measurement.atMs);

/** The two bounds overlap: the measurement and what the earlier ones predict for its instant can both be right. */
const agreesWithPrediction = (state: DisciplineState, measurement: OffsetMeasurement): boolean =>
  Math.abs(measurement.offsetMs - targetOffsetAt(state, measurement.atMs)) <=
  measurement.uncertaintyMs + predictionUncertaintyAt(state, measurement.atMs);

const UNMEASURED_FREQUENCY = { frequencyPpm: 0, frequencyErrorPpm: 0, frequencyMeasured: false } as const;

/**
 * Takes in a measurement that passed the sanity checks and selection.
 * `readingsHandedOut` says whether the reference has already given out a
 * time: until it has, a sync steps. `acceptedAtMs` is the local time it is
 * taken in (later than `measurement.atMs` by the rest of the exchange).
 * Answers `state` itself when the measurement is kept out (heldEstimateIsBetter).
 */
export const acceptMeasurement = (
  state: DisciplineState,
  measurement: OffsetMeasurement,
  readingsHandedOut: boolean,
  acceptedAtMs: number = measurement.atMs,
): DisciplineState => {
  if (heldEstimateIsBetter(state, measurement)) return state;
  // The slew starts from the offset in use when the answer is taken in, not when it was measured:
  // readings handed out in between (the rest of a burst, slower sources) must stay behind what follows.
  const nowMs = Math.max(acceptedAtMs, measurement.atMs);
  const appliedBefore = appliedOffsetAt(state, nowMs);
  // A measurement the prediction cannot explain (the source stepped) says nothing about a rate across
  // it: the frequency measured before is kept (the local oscillator did not step), none is measured.
  const anchor: Anchor = state.anchor
    ? {
        ...measurement,
        ...(agreesWithPrediction(state, measurement)
          ? nextFrequency(state.anchor, measurement)
          : frequencyOf(state.anchor)),
      }
    : { ...measurement, ...UNMEASURED_FREQUENCY };
  const firstSync = state.anchor === null;
  // Slewing protects the order of readings already handed out: with none yet, any sync may step.
  const stepIsSafe = !readingsHandedOut || (firstSync && measurement.offsetMs >= appliedBefore);
  if (stepIsSafe) return { ...state, anchor, slew: null };
  const next: DisciplineState = { ...state, anchor, slew: null };
  const residualMs = targetOffsetAt(next, nowMs) - appliedBefore;
  return residualMs === 0 ? next : { ...next, slew: { residualMs, fromMs: nowMs } };
};
