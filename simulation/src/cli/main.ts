/**
 * Entry point of `ntp-sim`. Every failure ends as one line on stderr and an
 * exit code: 2 for usage (bad flags, unknown scenario), 1 for the API
 * (unreachable, refused), 130 after Ctrl-C. No stack traces.
 */
import { CommanderError } from 'commander';
import { UnknownScenarioError } from '../scenarios/scenario-catalog';
import { ApiError, UsageError } from './cli-errors';
import { buildProgram } from './program';

const exitCodeOf = (error: unknown): number => {
  if (error instanceof CommanderError) {
    return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? 0 : 2;
  }
  if (error instanceof UsageError || error instanceof UnknownScenarioError) return 2;
  if (error instanceof ApiError) return 1;
  return 1;
};

const main = async (argv: readonly string[]): Promise<void> => {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    const code = exitCodeOf(error);
    // Commander has already printed its own message (and the usage hint).
    if (!(error instanceof CommanderError)) {
      process.stderr.write(`ntp-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = code;
  }
};

void main(process.argv);
