/**
 * The change feed of this process: what its projection runner commits. The
 * lag is computed once for everybody (one head-position query a second, and
 * after batches at most every 200 ms), not once per open stream.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  defer,
  filter,
  interval,
  map,
  merge,
  share,
  shareReplay,
  startWith,
  switchMap,
  throttleTime,
  type Observable,
} from 'rxjs';
import type { ProjectionRunner } from '../read-model/projection-runner';
import { PROJECTION_RUNNER } from '../reservations/application/tokens';
import type { ChangeFeedSource, ChangeMessage, LagMessage, ResetMessage } from './change-feed.port';
import { messagesOfBatch, resetMessage } from './batch-messages';

const LAG_EVERY_MS = 1000;
const LAG_AFTER_BATCH_MS = 200;

@Injectable()
export class InProcessChangeSource implements ChangeFeedSource {
  readonly changes$: Observable<readonly (ChangeMessage | ResetMessage)[]>;
  readonly lag$: Observable<LagMessage>;

  constructor(@Inject(PROJECTION_RUNNER) runner: ProjectionRunner) {
    const batches$ = runner.projected$.pipe(
      map((batch) => messagesOfBatch(batch.position, batch.changes, batch.recorded)),
      filter((messages) => messages.length > 0),
    );
    // A rebuilt model swapped in: everything may have changed.
    const swaps$ = runner.swapped$.pipe(map((swap): ResetMessage[] => [resetMessage(swap.position)]));
    this.changes$ = merge(batches$, swaps$).pipe(share());
    this.lag$ = projectionLag$(runner);
  }
}

/** The projection's progress for live streams: computed once for everybody, the latest for whoever joins. */
export const projectionLag$ = (runner: ProjectionRunner): Observable<LagMessage> =>
  merge(
    interval(LAG_EVERY_MS),
    runner.projected$.pipe(throttleTime(LAG_AFTER_BATCH_MS, undefined, { leading: true, trailing: true })),
  ).pipe(
    startWith(0),
    switchMap(() => defer(() => lagMessage(runner))),
    // While anyone listens: one computation for all, the latest for whoever joins.
    shareReplay({ bufferSize: 1, refCount: true }),
  );

const lagMessage = async (runner: ProjectionRunner): Promise<LagMessage> => {
  try {
    const { head, projected } = await runner.lag();
    return {
      type: 'lag',
      data: {
        head_position: head.toString(),
        projected_position: projected.toString(),
        caught_up: projected >= head,
      },
    };
  } catch {
    return {
      type: 'lag',
      data: {
        head_position: null,
        projected_position: runner.projectedPosition.toString(),
        caught_up: false,
        store_unreachable: true,
      },
    };
  }
};
