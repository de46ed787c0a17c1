import { Injectable, computed, inject, signal } from '@angular/core';
import { LabApi } from '../../core/api/lab-api.service';
import { liveResource } from '../../core/live/live-resource';

/** What a seeded run or a past session is (the run's parameters when it is one), and one of its seats' timeline. */
@Injectable()
export class RunDetailStore {
  private readonly api = inject(LabApi);
  readonly runId = signal('');
  readonly seatId = signal<number | null>(null);

  // A session id is not a seeded run: a 404 here just means "a lab session".
  private readonly runLoad = liveResource({
    reloadOn: [],
    params: () => this.runId() || undefined,
    load: (runId: string, abort) => this.api.scenarioRun(runId, abort),
  });
  private readonly timelineLoad = liveResource({
    reloadOn: ['seat', 'conflict'],
    params: () => {
      const seatId = this.seatId();
      return seatId === null || !this.runId() ? undefined : { seatId, runId: this.runId() };
    },
    load: ({ seatId, runId }: { seatId: number; runId: string }, abort) => this.api.seatTimeline(seatId, runId, abort),
  });

  readonly run = computed(() => this.runLoad.value() ?? null);
  readonly runError = computed(() => {
    const error = this.runLoad.error();
    return error?.status === 404 ? null : error;
  });
  readonly timeline = computed(() => {
    const timeline = this.timelineLoad.value();
    return timeline && timeline.seat_id === this.seatId() ? timeline : null;
  });
  readonly timelineError = this.timelineLoad.error;
}
