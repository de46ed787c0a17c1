import type { ClockConfig } from './clock-model';
import { createSeededRandom, deriveSeed, type RandomSource } from './seeded-random';

/**
 * Clock scenarios as data. Each row gives magnitude ranges; `applyScenario`
 * turns a row into one ClockConfig per booking server from a seed, so the
 * same (scenario, servers, seed) always yields the same clocks.
 *
 * Signs are mixed on purpose (alternating along the server list, the first
 * sign chosen by the seed): some servers ahead and some behind is what makes
 * a later attempt look earlier, i.e. an inversion.
 */

export const SCENARIO_NAMES = [
  'none',
  'synchronized',
  'minor_drift',
  'major_drift',
  'extreme_drift',
  'drift_ppm',
  'jitter',
  'asymmetric_network',
  'never_synced',
  'clock_step',
  'strobe',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Inclusive range of magnitudes (absolute values). */
export interface MagnitudeRange {
  readonly min: number;
  readonly max: number;
}

export interface ScenarioDefinition {
  readonly name: ScenarioName;
  readonly description: string;
  readonly offsetMagnitudeMs: MagnitudeRange;
  readonly driftMagnitudePpm: MagnitudeRange;
  readonly jitterMs: MagnitudeRange;
  /** Base one-way delay, the same in both directions. */
  readonly oneWayDelayMs: MagnitudeRange;
  /** Extra delay on one direction only (the direction alternates per server). */
  readonly extraDelayOneWayMs?: MagnitudeRange;
  /** Seeded runs: each server's path to the event store (base delay, and jitter on top). */
  readonly logDelayMs?: MagnitudeRange;
  readonly logDelayJitterMs?: MagnitudeRange;
  /** How many servers (chosen by the seed) never sync. */
  readonly neverSyncingServers: number;
  /** One server (chosen by the seed) steps its clock this long after the start. */
  readonly step?: { readonly afterStartMs: number; readonly byMagnitudeMs: MagnitudeRange };
  /** One server (chosen by the seed) flips between its offset and the opposite-signed alt offset. */
  readonly strobe?: { readonly periodMs: number; readonly altOffsetMagnitudeMs: MagnitudeRange };
}

const ZERO: MagnitudeRange = { min: 0, max: 0 };
const LAN_DELAY: MagnitudeRange = { min: 5, max: 25 };
/** Booking server → event store on a LAN: a few ms, varying by a few more. */
const LAN_LOG_DELAY: MagnitudeRange = { min: 1, max: 8 };
const LAN_LOG_JITTER: MagnitudeRange = { min: 0, max: 4 };

const synchronizedRow = (name: ScenarioName, description: string): ScenarioDefinition => ({
  name,
  description,
  offsetMagnitudeMs: ZERO,
  driftMagnitudePpm: ZERO,
  jitterMs: ZERO,
  oneWayDelayMs: LAN_DELAY,
  neverSyncingServers: 0,
});

export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioDefinition>> = {
  none: synchronizedRow('none', 'No skew: every clock equals the reference; symmetric network delays.'),
  synchronized: synchronizedRow('synchronized', 'Same as none: perfectly synchronised clocks, symmetric delays.'),
  minor_drift: {
    name: 'minor_drift',
    description: 'Every |offset| below 2 s, a few ppm of drift, ~1 ms jitter, symmetric delays.',
    offsetMagnitudeMs: { min: 50, max: 1900 },
    driftMagnitudePpm: { min: 0, max: 5 },
    jitterMs: { min: 0, max: 2 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 0,
  },
  major_drift: {
    name: 'major_drift',
    description: '|offset| between 5 and 10 s, servers ahead and behind.',
    offsetMagnitudeMs: { min: 5000, max: 10000 },
    driftMagnitudePpm: { min: 0, max: 10 },
    jitterMs: { min: 0, max: 2 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 0,
  },
  extreme_drift: {
    name: 'extreme_drift',
    description: '|offset| above 15 s (15–30 s), servers ahead and behind.',
    offsetMagnitudeMs: { min: 15001, max: 30000 },
    driftMagnitudePpm: { min: 0, max: 20 },
    jitterMs: { min: 0, max: 2 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 0,
  },
  drift_ppm: {
    name: 'drift_ppm',
    description: 'Small offsets (< 200 ms) but quartz frequency errors of 20–500 ppm: skew grows during the run.',
    offsetMagnitudeMs: { min: 0, max: 200 },
    driftMagnitudePpm: { min: 20, max: 500 },
    jitterMs: { min: 0, max: 1 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 0,
  },
  jitter: {
    name: 'jitter',
    description: 'Small offsets, noisy clocks: every reading is off by up to 5–50 ms.',
    offsetMagnitudeMs: { min: 0, max: 100 },
    driftMagnitudePpm: { min: 0, max: 5 },
    jitterMs: { min: 5, max: 50 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 0,
  },
  asymmetric_network: {
    name: 'asymmetric_network',
    description:
      'Small offsets, but one direction of each NTP path is 40–200 ms slower: NTP itself is wrong by (d_out − d_in)/2.',
    offsetMagnitudeMs: { min: 0, max: 300 },
    driftMagnitudePpm: { min: 0, max: 5 },
    jitterMs: { min: 0, max: 1 },
    oneWayDelayMs: { min: 5, max: 15 },
    extraDelayOneWayMs: { min: 40, max: 200 },
    logDelayMs: { min: 10, max: 60 },
    logDelayJitterMs: { min: 0, max: 20 },
    neverSyncingServers: 0,
  },
  never_synced: {
    name: 'never_synced',
    description: 'Offsets of 0.5–2 s; one server never reaches NTP, so its time cannot be corrected or bounded.',
    offsetMagnitudeMs: { min: 500, max: 1999 },
    driftMagnitudePpm: { min: 0, max: 5 },
    jitterMs: { min: 0, max: 2 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 1,
  },
  clock_step: {
    name: 'clock_step',
    description:
      'Offsets below 2 s; 10 s into the run one server steps its clock by 3–8 s (an operator or a bad daemon).',
    offsetMagnitudeMs: { min: 50, max: 1900 },
    driftMagnitudePpm: { min: 0, max: 5 },
    jitterMs: { min: 0, max: 2 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 0,
    step: { afterStartMs: 10_000, byMagnitudeMs: { min: 3000, max: 8000 } },
  },
  strobe: {
    name: 'strobe',
    description:
      'Offsets below 2 s; one server flips between ahead and behind (1–3 s) every 5 s, a flapping time source.',
    offsetMagnitudeMs: { min: 50, max: 1900 },
    driftMagnitudePpm: { min: 0, max: 5 },
    jitterMs: { min: 0, max: 2 },
    oneWayDelayMs: LAN_DELAY,
    neverSyncingServers: 0,
    strobe: { periodMs: 5000, altOffsetMagnitudeMs: { min: 1000, max: 3000 } },
  },
};

export class UnknownScenarioError extends Error {
  constructor(
    readonly requested: string,
    readonly knownNames: readonly ScenarioName[] = SCENARIO_NAMES,
  ) {
    super(`Unknown clock scenario "${requested}". Known scenarios: ${knownNames.join(', ')}`);
    this.name = 'UnknownScenarioError';
  }
}

export const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name);

export const listScenarios = (): ReadonlyArray<{ name: ScenarioName; description: string }> =>
  SCENARIO_NAMES.map((name) => ({ name, description: SCENARIOS[name].description }));

export interface ApplyScenarioOptions {
  /** Reference time at which the run starts: t0 of the drift term and origin of the step. */
  readonly startReferenceMs?: number;
}

/** Integer magnitude in [min, max], inclusive. */
const wholeIn = (random: RandomSource, range: MagnitudeRange): number =>
  range.min + Math.floor(random() * (range.max - range.min + 1));

/** Magnitude with one decimal, in [min, max]. */
const tenthsIn = (random: RandomSource, range: MagnitudeRange): number =>
  Math.min(range.max, Math.round((range.min + random() * (range.max - range.min)) * 10) / 10);

/** Picks `count` distinct indices out of `size`, driven by the seed (partial Fisher–Yates). */
const pickIndices = (random: RandomSource, size: number, count: number): ReadonlySet<number> => {
  const indices = Array.from({ length: size }, (_, index) => index);
  const picked = new Set<number>();
  for (let slot = 0; slot < Math.min(count, size); slot += 1) {
    const swapWith = slot + Math.floor(random() * (size - slot));
    [indices[slot], indices[swapWith]] = [indices[swapWith] as number, indices[slot] as number];
    picked.add(indices[slot] as number);
  }
  return picked;
};

export const applyScenario = (
  name: string,
  serverIds: readonly string[],
  seed: number,
  options: ApplyScenarioOptions = {},
): Record<string, ClockConfig> => {
  if (!isScenarioName(name)) throw new UnknownScenarioError(name);
  const scenario = SCENARIOS[name];
  const t0Ms = options.startReferenceMs ?? 0;
  const runRandom = createSeededRandom(deriveSeed(seed, name));
  const firstOffsetSign = runRandom() < 0.5 ? 1 : -1;
  const firstDriftSign = runRandom() < 0.5 ? 1 : -1;
  const neverSyncing = pickIndices(runRandom, serverIds.length, scenario.neverSyncingServers);
  const stepping = scenario.step ? pickIndices(runRandom, serverIds.length, 1) : new Set<number>();
  const strobing = scenario.strobe ? pickIndices(runRandom, serverIds.length, 1) : new Set<number>();

  const configs: Record<string, ClockConfig> = {};
  serverIds.forEach((serverId, index) => {
    // Per-server stream: a server's magnitudes do not depend on its neighbours.
    const random = createSeededRandom(deriveSeed(seed, name, serverId));
    const alternate = index % 2 === 0 ? 1 : -1;
    const offsetSign = firstOffsetSign * alternate;
    const baseDelayMs = wholeIn(random, scenario.oneWayDelayMs);
    const extraDelayMs = scenario.extraDelayOneWayMs ? wholeIn(random, scenario.extraDelayOneWayMs) : 0;
    const slowOutbound = alternate === 1;
    const offsetMs = offsetSign * wholeIn(random, scenario.offsetMagnitudeMs);
    const config: ClockConfig = {
      offsetMs: offsetMs === 0 ? 0 : offsetMs, // never -0
      driftPpm: firstDriftSign * alternate * tenthsIn(random, scenario.driftMagnitudePpm) || 0,
      jitterMs: tenthsIn(random, scenario.jitterMs),
      t0Ms,
      outboundDelayMs: baseDelayMs + (slowOutbound ? extraDelayMs : 0),
      inboundDelayMs: baseDelayMs + (slowOutbound ? 0 : extraDelayMs),
      neverSyncs: neverSyncing.has(index),
    };
    const step =
      scenario.step && stepping.has(index)
        ? { atMs: t0Ms + scenario.step.afterStartMs, byMs: -offsetSign * wholeIn(random, scenario.step.byMagnitudeMs) }
        : undefined;
    const strobe =
      scenario.strobe && strobing.has(index)
        ? {
            periodMs: scenario.strobe.periodMs,
            altOffsetMs: -offsetSign * wholeIn(random, scenario.strobe.altOffsetMagnitudeMs),
          }
        : undefined;
    // Drawn last, so the magnitudes above stay what they were before the path to the log was modelled.
    const logDelayMs = wholeIn(random, scenario.logDelayMs ?? LAN_LOG_DELAY);
    const logDelayJitterMs = wholeIn(random, scenario.logDelayJitterMs ?? LAN_LOG_JITTER);
    configs[serverId] = {
      ...config,
      logDelayMs,
      logDelayJitterMs,
      ...(step ? { step } : {}),
      ...(strobe ? { strobe } : {}),
    };
  });
  return configs;
};
