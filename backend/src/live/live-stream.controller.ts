import { Controller, Inject, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { defer, from, interval, merge, mergeMap, type Observable, startWith, switchMap, throttleTime } from 'rxjs';
import type { ProjectionRunner } from '../read-model/projection-runner';
import { PROJECTION_RUNNER } from '../reservations/application/tokens';
import { uniqueChanges } from './unique-changes';

/** A batch of a 100,000-attempt run would flood a browser; past this, clients refetch instead. */
const MAX_CHANGES_PER_BATCH = 200;

@ApiTags('live')
@Controller('api/events')
export class LiveStreamController {
  constructor(@Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner) {}

  @Sse('stream')
  @ApiOperation({
    summary: 'Server-Sent Events: read-model changes and a caught-up / lag marker',
    description:
      'Events: `change` {entity, id, run_id, position} for each changed seat/attempt/conflict/clock; `reset` {position} when a batch changed more than the stream sends one by one (refetch); `lag` {head_position, projected_position, caught_up} every second and after batches.',
  })
  @ApiOkResponse({ description: 'text/event-stream' })
  stream(): Observable<MessageEvent> {
    const batches$ = this.runner.projected$;
    const changes$ = batches$.pipe(
      mergeMap((batch) => {
        const changes = uniqueChanges(batch.changes);
        if (changes.length > MAX_CHANGES_PER_BATCH) {
          return from([{ type: 'reset', data: { position: batch.position.toString() } } as MessageEvent]);
        }
        return from(
          changes.map((change): MessageEvent => ({
            type: 'change',
            data: { entity: change.entity, id: change.id, run_id: change.runId, position: change.position },
          })),
        );
      }),
    );
    const lag$ = merge(
      interval(1000),
      batches$.pipe(throttleTime(200, undefined, { leading: true, trailing: true })),
    ).pipe(
      startWith(0),
      switchMap(() => defer(() => this.lagEvent())),
    );
    return merge(changes$, lag$);
  }

  private async lagEvent(): Promise<MessageEvent> {
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
