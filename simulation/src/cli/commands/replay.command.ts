import { Command } from 'commander';
import { labReportOfRun } from '../../report/run-response';
import type { RunResponse } from '../../report/run-response';
import { replayRun } from '../../scenarios/seeded-runs';
import { progressBar } from '../progress-bar';
import { apiClientFor, printReport, withCommonOptions, type CommonOptions } from '../common-options';

export const replayCommand = (): Command =>
  withCommonOptions(new Command('replay'))
    .description("re-project one run's events from the log (its read model rows are rebuilt), then its report")
    .argument('<run-id>', 'the run to replay')
    .action(async (runId: string, options: CommonOptions) => {
      const api = apiClientFor(options);
      // Fails with a clear 404 before anything is rebuilt when the run does not exist.
      await api.get<RunResponse>(`/api/simulation/runs/${encodeURIComponent(runId)}`);
      const job = await replayRun(api, runId, progressBar('replay', !options.json));
      const run = await api.get<RunResponse>(`/api/simulation/runs/${encodeURIComponent(runId)}`);
      const report = labReportOfRun(run, `replay of ${runId}`);
      printReport({ ...report, details: { ...report.details, replayed_events: job.processed_events } }, options);
    });
