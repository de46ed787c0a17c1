/**
 * The clock scenarios the backend knows (backend/src/clocks/domain/scenarios.ts).
 * Kept here so the CLI can refuse a misspelt scenario before touching the
 * network; `ntp-sim scenarios` shows the backend's own list and descriptions.
 */
export const KNOWN_SCENARIOS = [
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

export type ScenarioName = (typeof KNOWN_SCENARIOS)[number];

export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError';
  readonly exitCode = 2;
  constructor(readonly requested: string) {
    super(`unknown scenario "${requested}"; known scenarios: ${KNOWN_SCENARIOS.join(', ')}`);
  }
}

export const assertScenario = (name: string): ScenarioName => {
  if (!(KNOWN_SCENARIOS as readonly string[]).includes(name)) throw new UnknownScenarioError(name);
  return name as ScenarioName;
};
