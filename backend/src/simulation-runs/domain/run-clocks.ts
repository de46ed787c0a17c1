/** The clock of every server in a run: the scenario's, seeded, with the what-if overrides on top. */
import { applyScenario, type ClockConfig } from '../../clocks/domain';
import { ALL_SERVERS, type ClockOverride, type RunParameters } from './run-parameters';

const overridden = (config: ClockConfig, override: ClockOverride | undefined): ClockConfig =>
  override ? { ...config, ...override } : config;

export const runClocks = (parameters: RunParameters): Record<string, ClockConfig> => {
  const base = applyScenario(parameters.scenario, parameters.serverIds, parameters.seed, {
    startReferenceMs: parameters.startReferenceMs,
  });
  return Object.fromEntries(
    parameters.serverIds.map((serverId) => {
      // "*" first, then the server's own entry, so a specific override wins.
      const config = overridden(
        overridden(base[serverId]!, parameters.overrides[ALL_SERVERS]),
        parameters.overrides[serverId],
      );
      return [serverId, config];
    }),
  );
};
