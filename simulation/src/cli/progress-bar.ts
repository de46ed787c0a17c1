/** A cli-progress bar on stderr, shown only to a person (a TTY) and never in --json mode. */
import { SingleBar, Presets } from 'cli-progress';
import { noProgress, type Progress } from '../scenarios/seeded-runs';

export const progressBar = (label: string, enabled: boolean): Progress => {
  if (!enabled || !process.stderr.isTTY) return noProgress;
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
};
