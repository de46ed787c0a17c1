/** Importable API of the simulation package. */
export { NTPSimulator, type FiredAttempt, type NTPSimulatorOptions } from './scenarios/ntp-simulator';
export { ApiClient } from './cli/api-client';
export { ApiError, UsageError } from './cli/cli-errors';
export { KNOWN_SCENARIOS, UnknownScenarioError, assertScenario } from './scenarios/scenario-catalog';
export {
  executeRun,
  followRun,
  replayRun,
  overridesFrom,
  spreadOverServers,
  type RunRequest,
} from './scenarios/seeded-runs';
export { formatReport, formatSideBySide } from './report/format-report';
export { STRATEGIES, type LabReport, type Strategy } from './report/lab-report';
export { sweepChartSvg, sweepCsv, type SweepPoint } from './report/sweep-chart';
