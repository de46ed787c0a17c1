import { Command } from 'commander';
import { NTPSimulator } from '../../scenarios/ntp-simulator';
import { assertScenario } from '../../scenarios/scenario-catalog';
import { apiClientFor, withCommonOptions, type CommonOptions } from '../common-options';
import { integerIn } from '../parse-options';

export const applyCommand = (): Command =>
  withCommonOptions(new Command('apply'))
    .description("put the live booking servers' clocks into a scenario (setupTimeDrift)")
    .argument('<scenario>', 'scenario name, e.g. major_drift')
    .option('--seed <n>', 'seed for the scenario’s magnitudes', integerIn(0, 0xffffffff))
    .action(async (scenario: string, options: CommonOptions & { seed?: number }) => {
      assertScenario(scenario);
      const applied = await new NTPSimulator({ api: apiClientFor(options) }).setupTimeDrift(scenario, options.seed);
      process.stdout.write(
        options.json ? `${JSON.stringify(applied)}\n` : `applied ${scenario}:\n${JSON.stringify(applied, null, 2)}\n`,
      );
    });
