/**
 * One seeded run per value of a swept clock parameter (total skew across the
 * servers, drift, or the asymmetry of their NTP paths), then a CSV and an SVG
 * chart of the seats each ordering strategy, and the lab's own assignment,
 * got wrong per 10,000 attempts.
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRATEGIES, wrongPer10k, type Series } from '../../report/lab-report';
import { labReportOfRun } from '../../report/run-response';
import { sweepChartSvg, sweepCsv, type SweepPoint } from '../../report/sweep-chart';
import { assertScenario } from '../../scenarios/scenario-catalog';
import { executeRun, spreadOverServers, type ClockOverride } from '../../scenarios/seeded-runs';
import { progressBar } from '../progress-bar';
import { apiClientFor, withCommonOptions, type CommonOptions } from '../common-options';
import { integerIn, rangeIn } from '../parse-options';

interface SweepOptions extends CommonOptions {
  readonly skew?: [number, number];
  readonly drift?: [number, number];
  readonly asymmetry?: [number, number];
  readonly steps: number;
  readonly scenario: string;
  readonly seed: number;
  readonly attemptsTotal: number;
  readonly attempts: number;
  readonly spreadMs: number;
  readonly servers: number;
  readonly outDir: string;
  readonly name: string;
}

type SweepMode = 'skew' | 'drift' | 'asymmetry';

/** Each server both ways this far from the reference; the asymmetry goes on top of one direction. */
const BASE_ONE_WAY_DELAY_MS = 10;

/** One server's clock for the swept amount (its share of the total spread over the servers). */
const overrideFor = (mode: SweepMode, amount: number): ClockOverride => {
  switch (mode) {
    case 'skew':
      return { offset_ms: amount };
    case 'drift':
      return { drift_ppm: amount };
    case 'asymmetry':
      // d_out − d_in = amount: NTP is then wrong on this server by amount / 2, and cannot tell.
      return {
        outbound_delay_ms: BASE_ONE_WAY_DELAY_MS + Math.max(0, amount),
        inbound_delay_ms: BASE_ONE_WAY_DELAY_MS + Math.max(0, -amount),
      };
  }
};

const X_LABELS: Readonly<Record<SweepMode, string>> = {
  skew: 'total clock skew across the servers (s)',
  drift: 'total drift spread across the servers (ppm)',
  asymmetry: 'spread of NTP path asymmetry d_out − d_in across the servers (ms)',
};
const UNITS: Readonly<Record<SweepMode, string>> = { skew: 'skew_s', drift: 'drift_ppm', asymmetry: 'asymmetry_ms' };

const valuesOf = ([from, to]: [number, number], steps: number): number[] =>
  Array.from({ length: steps }, (_, index) => (steps === 1 ? from : from + ((to - from) * index) / (steps - 1)));

export const sweepCommand = (): Command =>
  withCommonOptions(new Command('sweep'))
    .description(
      'one seeded run per skew (s), drift (ppm) or NTP path asymmetry (ms) value; writes a CSV and an SVG chart, one line per strategy and one for the holder the lab assigns',
    )
    .option('--skew <from..to>', 'total clock skew across the servers, in seconds (default 0..30)', rangeIn(0, 3600))
    .option('--drift <from..to>', 'total drift spread across the servers, in ppm (e.g. 0..500)', rangeIn(0, 100_000))
    .option(
      '--asymmetry <from..to>',
      'spread of d_out − d_in across the servers, in ms (e.g. 0..200): NTP itself goes wrong',
      rangeIn(0, 60_000),
    )
    .option('--steps <n>', 'values in the range (2..201)', integerIn(2, 201), 31)
    .option('-s, --scenario <name>', 'base scenario under the swept values', 'synchronized')
    .option('--seed <n>', 'seed (the same for every value: only the swept clocks change)', integerIn(0, 0xffffffff), 42)
    .option('--attempts-total <n>', 'attempts per run (100..200000)', integerIn(100, 200_000), 10_000)
    .option('--attempts <n>', 'concurrent attempts per seat', integerIn(2, 1000), 5)
    .option('--spread-ms <ms>', "a seat's attempts arrive within this window", integerIn(0, 600_000), 1000)
    .option('--servers <n>', 'booking servers (2..50)', integerIn(2, 50), 5)
    .option('--out-dir <dir>', 'where to write the CSV and the SVG', '.')
    .option('--name <base>', 'file name without extension (default sweep-skew / sweep-drift)')
    .action(async (options: SweepOptions) => {
      assertScenario(options.scenario);
      const chosen = [options.skew, options.drift, options.asymmetry].filter((range) => range !== undefined);
      if (chosen.length > 1) throw new InvalidArgumentError('choose one of --skew, --drift, --asymmetry');
      const mode: SweepMode = options.drift ? 'drift' : options.asymmetry ? 'asymmetry' : 'skew';
      const range = options.drift ?? options.asymmetry ?? options.skew ?? [0, 30];
      const api = apiClientFor(options);
      const seats = Math.max(1, Math.floor(options.attemptsTotal / options.attempts));
      const values = valuesOf(range, options.steps);
      const bar = progressBar(`sweep ${mode}`, !options.json);
      bar.start(values.length);
      const points: SweepPoint[] = [];
      const runs: unknown[] = [];
      const started = Date.now();
      try {
        for (const [index, value] of values.entries()) {
          const spread = spreadOverServers(mode === 'skew' ? value * 1000 : value, options.servers);
          const overrides: Record<string, ClockOverride> = Object.fromEntries(
            spread.map((amount, server) => [`server-${server + 1}`, overrideFor(mode, amount)]),
          );
          const run = await executeRun(api, {
            scenario: options.scenario,
            seed: options.seed,
            seats,
            attempts_per_seat: options.attempts,
            spread_ms: options.spreadMs,
            servers: options.servers,
            overrides,
          });
          const report = labReportOfRun(run, `${mode} ${value}`);
          points.push({
            value,
            wrongPer10k: Object.fromEntries(
              [...STRATEGIES, 'authority' as const].map((series) => [series, wrongPer10k(report, series)]),
            ) as Record<Series, number>,
          });
          runs.push({
            value,
            run_id: run.id,
            conflicts: report.conflicts,
            accuracy: report.accuracy,
            authority: report.authority,
            wrong_holders: report.wrong_holders,
            bound_violations: report.bound_violations,
          });
          bar.update(index + 1);
        }
      } finally {
        bar.stop();
      }
      const base = options.name ?? `sweep-${mode}`;
      const unit = UNITS[mode];
      mkdirSync(options.outDir, { recursive: true });
      const csvPath = join(options.outDir, `${base}.csv`);
      const svgPath = join(options.outDir, `${base}.svg`);
      const strategies: Series[] = ['authority', ...STRATEGIES.filter((strategy) => strategy !== 'truth')];
      writeFileSync(csvPath, sweepCsv(points, strategies, unit));
      writeFileSync(
        svgPath,
        sweepChartSvg(points, strategies, {
          title: `Seats given to the wrong customer (${options.scenario}, seed ${options.seed}, ${seats * options.attempts} attempts/run)`,
          xLabel: X_LABELS[mode],
          yLabel: 'wrong seats per 10,000 attempts',
        }),
      );
      const summary = { mode, values: values.length, total_ms: Date.now() - started, csv: csvPath, svg: svgPath, runs };
      process.stdout.write(
        options.json
          ? `${JSON.stringify(summary)}\n`
          : `${sweepCsv(points, strategies, unit)}\nwrote ${csvPath} and ${svgPath} (${values.length} runs in ${(summary.total_ms / 1000).toFixed(1)} s)\n`,
      );
    });
