/**
 * Live mode: apply a scenario to the running lab, fire N seats × M concurrent
 * reservations over the servers, wait for the seats to settle, report.
 * Ctrl-C stops firing, and the report covers what was done so far.
 */
import { setMaxListeners } from 'node:events';
import { Command } from 'commander';
import { ApiError } from '../cli-errors';
import { NTPSimulator } from '../../scenarios/ntp-simulator';
import { assertScenario } from '../../scenarios/scenario-catalog';
import { apiClientFor, printReport, withCommonOptions, type CommonOptions } from '../common-options';
import { integerIn } from '../parse-options';

interface LiveOptions extends CommonOptions {
  readonly scenario: string;
  readonly seed: number;
  readonly seats: number;
  readonly attempts: number;
  readonly spreadMs: number;
  readonly servers: number;
  readonly settleTimeoutMs: number;
  readonly apply: boolean;
}

export const liveCommand = (): Command =>
  withCommonOptions(new Command('live'))
    .description(
      'apply a scenario, fire concurrent reservations at the running backend, wait for the seats to settle, report',
    )
    .option('-s, --scenario <name>', 'clock scenario to apply first', 'major_drift')
    .option('--no-apply', 'keep the clocks as they are')
    .option('--seed <n>', 'seed for the scenario and the firing pattern', integerIn(0, 0xffffffff), 42)
    .option('--seats <n>', 'seats to fire at (free seats are picked)', integerIn(1, 1000), 5)
    .option('--attempts <n>', 'concurrent reservations per seat', integerIn(1, 200), 4)
    .option('--spread-ms <ms>', "a seat's reservations are fired within this window", integerIn(0, 60_000), 300)
    .option('--servers <n>', 'spread the reservations over server-1..server-N', integerIn(1, 50), 5)
    .option('--settle-timeout-ms <ms>', 'how long to wait for the seats to settle', integerIn(0, 600_000), 20_000)
    .action(async (options: LiveOptions) => {
      if (options.apply) assertScenario(options.scenario);
      const abort = new AbortController();
      // Every scheduled reservation waits on this one signal: one listener each, by design.
      setMaxListeners(0, abort.signal);
      const onInterrupt = (): void => {
        if (abort.signal.aborted) process.exit(130);
        process.stderr.write(
          '\ninterrupted: no more reservations are fired; reporting what was done (Ctrl-C again to quit)\n',
        );
        abort.abort();
      };
      process.on('SIGINT', onInterrupt);
      const simulator = new NTPSimulator({
        api: apiClientFor(options),
        serverIds: Array.from({ length: options.servers }, (_, index) => `server-${index + 1}`),
        spreadMs: options.spreadMs,
        seed: options.seed,
        signal: abort.signal,
      });
      try {
        if (options.apply) await simulator.setupTimeDrift(options.scenario, options.seed);
        const seats = await simulator.freeSeats(options.seats);
        if (seats.length < options.seats) {
          throw new ApiError(
            `only ${seats.length} untouched seats left at ${options.api}; ask for fewer --seats or restart the backend on a fresh store`,
          );
        }
        const fired = await Promise.all(
          seats.map((seatId) => simulator.simulateConcurrentReservations(seatId, options.attempts)),
        );
        const touched = seats.filter((_, index) => fired[index]!.length > 0);
        const settled = abort.signal.aborted
          ? false
          : await simulator.waitForSettlement(touched, options.settleTimeoutMs);
        const report = await simulator.reportFor(
          touched,
          `live: ${options.apply ? options.scenario : 'current clocks'}`,
        );
        const [conflicts, stats] = await Promise.all([
          simulator.api.get<{ total: number }>('/api/conflicts?limit=1'),
          simulator.api.get<Record<string, unknown>>('/api/stats'),
        ]);
        printReport(
          {
            ...report,
            details: {
              ...report.details,
              attempts_fired: simulator.attemptsFired,
              settled,
              interrupted: abort.signal.aborted,
              lab_conflicts_total: conflicts.total,
              lab_stats: stats,
            },
          },
          options,
        );
        if (!settled && !abort.signal.aborted) {
          process.stderr.write(
            `warning: not every seat settled within ${options.settleTimeoutMs} ms; outcomes may still change\n`,
          );
        }
        if (abort.signal.aborted) process.exitCode = 130;
      } finally {
        process.off('SIGINT', onInterrupt);
      }
    });
