import { Command } from 'commander';
import { apiClientFor, withCommonOptions, type CommonOptions } from '../common-options';

interface ScenarioInfo {
  readonly name: string;
  readonly description: string;
}

export const scenariosCommand = (): Command =>
  withCommonOptions(new Command('scenarios'))
    .description('list the clock scenarios the backend knows')
    .action(async (options: CommonOptions) => {
      const scenarios = await apiClientFor(options).get<ScenarioInfo[]>('/api/simulation/scenarios');
      if (options.json) {
        process.stdout.write(`${JSON.stringify(scenarios)}\n`);
        return;
      }
      const width = Math.max(...scenarios.map((scenario) => scenario.name.length));
      for (const scenario of scenarios)
        process.stdout.write(`${scenario.name.padEnd(width)}  ${scenario.description}\n`);
    });
