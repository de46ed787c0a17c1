/**
 * (b) Append → visible in the read model, with the live runner: one writer
 * appends at a steady moderate rate; an event is visible when the runner
 * announces (projected$, after commit) a batch reaching its position.
 * Measured from the append's call and from its commit. Target: p99 < 50 ms.
 */
import { randomUUID } from 'node:crypto';
import type { BenchTarget } from './bench-databases';
import { withFixture } from './bench-fixture';
import { percentile, round } from './measure';
import { liveLabLog } from './seeded-workload';

export interface LiveLatencyResult {
  readonly target: string;
  readonly events: number;
  readonly ratePerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** From the append's commit (the append's own cost excluded). */
  readonly p99AfterCommitMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const measureLiveLatency = (
  target: BenchTarget,
  ratePerSecond = 200,
  seconds = 10,
): Promise<LiveLatencyResult> =>
  withFixture(target, async (fixture) => {
    const log = liveLabLog(ratePerSecond * seconds, 100, 11);
    const pending: { position: bigint; calledAt: number; committedAt: number }[] = [];
    const fromCall: number[] = [];
    const fromCommit: number[] = [];
    const subscription = fixture.runner.projected$.subscribe((batch) => {
      const now = performance.now();
      while (pending.length > 0 && pending[0]!.position <= batch.position) {
        const seen = pending.shift()!;
        fromCall.push(now - seen.calledAt);
        fromCommit.push(now - seen.committedAt);
      }
    });
    await fixture.runner.start();
    const intervalMs = 1000 / ratePerSecond;
    const started = performance.now();
    for (const [index, event] of log.entries()) {
      // Steady schedule: the n-th append is due at n × interval, whatever the previous one cost.
      const dueIn = started + index * intervalMs - performance.now();
      if (dueIn > 0) await sleep(dueIn);
      const calledAt = performance.now();
      const { position } = await fixture.store.append(event.streamId, [
        { id: randomUUID(), type: event.type, data: event.data },
      ]);
      // One writer, so positions grow in order and `pending` stays sorted.
      pending.push({ position, calledAt, committedAt: performance.now() });
    }
    await fixture.runner.waitForPosition(pending[pending.length - 1]?.position ?? 0n, 10_000);
    await fixture.runner.stop();
    subscription.unsubscribe();
    const sortedCall = [...fromCall].sort((a, b) => a - b);
    const sortedCommit = [...fromCommit].sort((a, b) => a - b);
    return {
      target: target.name,
      events: fromCall.length,
      ratePerSecond,
      p50Ms: round(percentile(sortedCall, 0.5)),
      p99Ms: round(percentile(sortedCall, 0.99)),
      maxMs: round(sortedCall[sortedCall.length - 1] ?? Number.NaN),
      p99AfterCommitMs: round(percentile(sortedCommit, 0.99)),
    };
  });
