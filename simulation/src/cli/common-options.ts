/** Options every command shares, and how a command prints its result. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { ApiClient, type OperatorCredentials } from './api-client';
import { UsageError } from './cli-errors';
import { formatReport } from '../report/format-report';
import type { LabReport } from '../report/lab-report';
import { integerIn } from './parse-options';

export const DEFAULT_API = process.env['NTP_SIM_API'] ?? 'http://localhost:8000';

export interface CommonOptions {
  readonly api: string;
  readonly json?: boolean;
  readonly token?: string;
  readonly passwordFile?: string;
}

export const withCommonOptions = (command: Command): Command =>
  command
    .option('--api <url>', 'backend base URL (env NTP_SIM_API)', DEFAULT_API)
    .option('--json', 'print machine-readable JSON instead of tables')
    .option('--token <jwt>', 'operator token from POST /api/auth/token (env NTP_LAB_TOKEN)')
    .option(
      '--password-file <path>',
      'file holding the operator password, exchanged for a token (env NTP_LAB_PASSWORD_FILE; or NTP_LAB_PASSWORD)',
    );

/** Flags first, then the environment; a password is never taken from the command line (ps would show it). */
export const operatorCredentialsFrom = (
  options: CommonOptions,
  env: NodeJS.ProcessEnv = process.env,
): OperatorCredentials => {
  const token = options.token ?? (env['NTP_LAB_TOKEN'] || undefined);
  const passwordFile = options.passwordFile ?? (env['NTP_LAB_PASSWORD_FILE'] || undefined);
  let password = env['NTP_LAB_PASSWORD'] || undefined;
  if (passwordFile !== undefined) {
    try {
      password = readFileSync(passwordFile, 'utf8').trim();
    } catch (error) {
      throw new UsageError(`cannot read --password-file ${passwordFile}: ${(error as Error).message}`);
    }
  }
  return { token, password };
};

export const apiClientFor = (options: CommonOptions): ApiClient =>
  new ApiClient(options.api, undefined, operatorCredentialsFrom(options));

export interface RunShapeOptions {
  readonly scenario: string;
  readonly seed: number;
  readonly seats: number;
  readonly attempts: number;
  readonly spreadMs: number;
  readonly servers: number;
  readonly seatIntervalMs: number;
}

/** --seats/--attempts/--spread-ms with bounds: negative or absurd values are usage errors (exit 2). */
export const withRunShape = (
  command: Command,
  defaults: { seats: number; attempts: number; spreadMs: number },
): Command =>
  command
    .option('-s, --scenario <name>', 'clock scenario (see `ntp-sim scenarios`)', 'major_drift')
    .option('--seed <n>', 'seed: same seed and parameters give the same events', integerIn(0, 0xffffffff), 42)
    .option('--seats <n>', 'seats to contend for (1..100000)', integerIn(1, 100_000), defaults.seats)
    .option('--attempts <n>', 'concurrent attempts per seat (1..1000)', integerIn(1, 1000), defaults.attempts)
    .option(
      '--spread-ms <ms>',
      "a seat's attempts arrive within this window (0..600000)",
      integerIn(0, 600_000),
      defaults.spreadMs,
    )
    .option('--servers <n>', 'booking servers server-1..server-N (1..50)', integerIn(1, 50), 5)
    .option(
      '--seat-interval-ms <ms>',
      'virtual time between two seats’ bursts (lets drift build up)',
      integerIn(0, 3_600_000),
      1000,
    );

export const printReport = (report: LabReport, options: CommonOptions): void => {
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
};
