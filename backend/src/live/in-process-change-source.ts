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
import { LAB_SESSION_STARTED } from '../reservations/domain/lab-session';
import { PROJECTION_RUNNER } from '../reservations/application/tokens';
import type { ChangeFeedSource, ChangeMessage, LagMessage, ResetMessage } from './change-feed.port';
import { uniqueChanges } from './unique-changes';

/** A batch of a 100,000-attempt run would flood a browser; past this, clients refetch instead. */
export const MAX_CHANGES_PER_BATCH = 200;
const LAG_EVERY_MS = 1000;
const LAG_AFTER_BATCH_MS = 200;

@Injectable()
export class InProcessChangeSource implements ChangeFeedSource {
  readonly changes$: Observable<readonly (ChangeMessage | ResetMessage)[]>;
  readonly lag$: Observable<LagMessage>;

  constructor(@Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner) {
    const batches$ = runner.projected$.pipe(
      map((batch): (ChangeMessage | ResetMessage)[] => {
        const changes = uniqueChanges(batch.changes);
        // A lab reset moves every live row to the ended session: consoles reload.
        const labReset = batch.recorded.some((recorded) => recorded.type === LAB_SESSION_STARTED);
        if (labReset || changes.length > MAX_CHANGES_PER_BATCH) {
          return [{ type: 'reset', data: { position: batch.position.toString() } }];
        }
        return changes.map((change) => ({
          type: 'change',
          data: { entity: change.entity, id: change.id, run_id: change.runId, position: change.position },
        }));
      }),
      filter((messages) => messages.length > 0),
    );
    // A rebuilt model swapped in: everything may have changed.
    const swaps$ = runner.swapped$.pipe(
      map((swap): ResetMessage[] => [{ type: 'reset', data: { position: swap.position.toString() } }]),
    );
    this.changes$ = merge(batches$, swaps$).pipe(share());
    this.lag$ = merge(
      interval(LAG_EVERY_MS),
      runner.projected$.pipe(throttleTime(LAG_AFTER_BATCH_MS, undefined, { leading: true, trailing: true })),
    ).pipe(
      startWith(0),
      switchMap(() => defer(() => this.lagMessage())),
      // While anyone listens: one computation for all, the latest for whoever joins.
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  private async lagMessage(): Promise<LagMessage> {
    try {
      const { head, projected } = await this.runner.lag();
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
          projected_position: this.runner.projectedPosition.toString(),
          caught_up: false,
          store_unreachable: true,
        },
      };
    }
  }
}
