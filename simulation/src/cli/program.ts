/** The ntp-sim command tree. */
import { Command } from 'commander';
import { applyCommand } from './commands/apply.command';
import { liveCommand } from './commands/live.command';
import { replayCommand } from './commands/replay.command';
import { runCommand } from './commands/run.command';
import { scenariosCommand } from './commands/scenarios.command';
import { sweepCommand } from './commands/sweep.command';
import { whatIfCommand } from './commands/what-if.command';

export const buildProgram = (): Command => {
  const program = new Command('ntp-sim')
    .description(
      'NTP Reservation Lab simulator: clock scenarios, concurrent reservations, seeded runs, replays, sweeps',
    )
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const command of [
    scenariosCommand(),
    applyCommand(),
    liveCommand(),
    runCommand(),
    replayCommand(),
    whatIfCommand(),
    sweepCommand(),
  ]) {
    program.addCommand(command.exitOverride().showHelpAfterError('(add --help for usage)'));
  }
  return program;
};
