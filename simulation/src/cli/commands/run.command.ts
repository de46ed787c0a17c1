import { Command } from 'commander';
import { labReportOfRun } from '../../report/run-response';
import { assertScenario } from '../../scenarios/scenario-catalog';
import { executeRun, overridesFrom, type OverrideFlags, type RunRequest } from '../../scenarios/seeded-runs';
import { progressBar } from '../progress-bar';
import {
  apiClientFor,
  printReport,
  withCommonOptions,
  withRunShape,
  type CommonOptions,
  type RunShapeOptions,
} from '../common-options';
import { UsageError } from '../cli-errors';
import { collectDelays, collectServerValues, numberIn } from '../parse-options';

export type RunOptions = CommonOptions & RunShapeOptions & OverrideFlags & { readonly runId?: string };

/** --offset/--drift/--jitter/--delay/--never-syncs, shared by run and what-if. */
export const withOverrideFlags = (command: Command): Command =>
  command
    .option(
      '--offset <server=ms>',
      'what-if: clock offset of a server (repeatable; * = every server)',
      collectServerValues(numberIn(-3_600_000, 3_600_000)),
    )
    .option(
      '--drift <server=ppm>',
      'what-if: frequency error in ppm (repeatable)',
      collectServerValues(numberIn(-100_000, 100_000)),
    )
    .option('--jitter <server=ms>', 'what-if: reading jitter (repeatable)', collectServerValues(numberIn(0, 60_000)))
    .option('--delay <server=out/in>', 'what-if: one-way NTP delays in ms (repeatable)', collectDelays)
    .option('--never-syncs <server...>', 'what-if: servers that never reach NTP');

const MAX_RUN_ATTEMPTS = 200_000;

export const runRequestOf = (options: RunOptions, withOverrides = true): RunRequest => {
  assertScenario(options.scenario);
  if (options.seats * options.attempts > MAX_RUN_ATTEMPTS) {
    throw new UsageError(
      `--seats × --attempts must be at most ${MAX_RUN_ATTEMPTS} (got ${options.seats * options.attempts})`,
    );
  }
  const overrides = withOverrides ? overridesFrom(options) : {};
  return {
    scenario: options.scenario,
    seed: options.seed,
    seats: options.seats,
    attempts_per_seat: options.attempts,
    spread_ms: options.spreadMs,
    servers: options.servers,
    seat_interval_ms: options.seatIntervalMs,
    ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    ...(options.runId ? { run_id: options.runId } : {}),
  };
};

export const runCommand = (): Command =>
  withOverrideFlags(withRunShape(withCommonOptions(new Command('run')), { seats: 1000, attempts: 5, spreadMs: 1000 }))
    .description('seeded scenario run on the backend’s virtual clock (same seed → same events), then its report')
    .option('--run-id <id>', 'name the run (default: derived from the parameters)')
    .action(async (options: RunOptions) => {
      const request = runRequestOf(options);
      const api = apiClientFor(options);
      const run = await executeRun(
        api,
        request,
        progressBar('run', !options.json && options.seats * options.attempts >= 2000),
      );
      printReport(labReportOfRun(run, `${options.scenario}, seed ${options.seed}`), options);
    });
