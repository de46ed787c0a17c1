import { Command } from 'commander';
import { UsageError } from '../cli-errors';
import { formatSideBySide } from '../../report/format-report';
import { labReportOfRun } from '../../report/run-response';
import { executeRun } from '../../scenarios/seeded-runs';
import { progressBar } from '../progress-bar';
import { apiClientFor, withCommonOptions, withRunShape } from '../common-options';
import { runRequestOf, withOverrideFlags, type RunOptions } from './run.command';

export const whatIfCommand = (): Command =>
  withOverrideFlags(
    withRunShape(withCommonOptions(new Command('what-if')), { seats: 1000, attempts: 5, spreadMs: 1000 }),
  )
    .description('re-run the same seed with other offsets / drift / delays and show both reports side by side')
    .action(async (options: RunOptions) => {
      const baseline = runRequestOf(options, false);
      const variant = runRequestOf(options, true);
      if (!variant.overrides)
        throw new UsageError('what-if needs at least one of --offset, --drift, --jitter, --delay, --never-syncs');
      const api = apiClientFor(options);
      const show = !options.json && options.seats * options.attempts >= 2000;
      const before = labReportOfRun(await executeRun(api, baseline, progressBar('baseline', show)), 'as scenario');
      const after = labReportOfRun(await executeRun(api, variant, progressBar('what-if', show)), 'what-if');
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ baseline: before, what_if: after, overrides: variant.overrides })}\n`
          : `${options.scenario}, seed ${options.seed}; what-if overrides: ${JSON.stringify(variant.overrides)}\n\n${formatSideBySide([before, after])}\n`,
      );
    });
