/**
 * When the store analyzes its log (log-statistics.ts). The ANALYZE itself is a
 * stand-in here, so each call and its answer are scripted; the int spec runs
 * the real one on PGlite.
 */
import { ANALYZE_FLOOR_EVENTS, LogStatistics } from './log-statistics';

const scripted = () => {
  const calls: { resolve(rows: number): void; reject(error: Error): void }[] = [];
  const errors: unknown[] = [];
  const statistics = new LogStatistics({
    analyze: () => new Promise<number>((resolve, reject) => calls.push({ resolve, reject })),
    onError: (error) => errors.push(error),
  });
  /** Lets the settled ANALYZE's handlers run. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { statistics, calls, errors, settle };
};

describe('LogStatistics', () => {
  it('given a log with fewer events since its last ANALYZE (or ever) than the floor, when it opens and grows to the floor, then it is analyzed only then', () => {
    const { statistics, calls } = scripted();
    statistics.start({ analyzedRows: 0, appendedSince: 600 });
    statistics.noteAppended(ANALYZE_FLOOR_EVENTS - 601);
    expect(calls).toHaveLength(0);
    statistics.noteAppended(1);
    expect(calls).toHaveLength(1);
  });

  it('given a log that grew by the floor since its last ANALYZE (before a restart, or by another process), when it opens, then it is analyzed at once', () => {
    const { statistics, calls } = scripted();
    statistics.start({ analyzedRows: 0, appendedSince: ANALYZE_FLOOR_EVENTS });
    expect(calls).toHaveLength(1);
  });

  it('given an ANALYZE that counted 100,000 rows, when 10,999 then 1 more events are appended, then the next ANALYZE starts at the 11,000th (floor + 10 %)', () => {
    const { statistics, calls } = scripted();
    statistics.start({ analyzedRows: 100_000, appendedSince: 0 });
    statistics.noteAppended(10_999);
    expect(calls).toHaveLength(0);
    statistics.noteAppended(1);
    expect(calls).toHaveLength(1);
  });

  it('given an ANALYZE in flight, when more is appended, then none starts beside it, and the appends count towards the next one', async () => {
    const { statistics, calls, settle } = scripted();
    statistics.start({ analyzedRows: 0, appendedSince: 0 });
    statistics.noteAppended(ANALYZE_FLOOR_EVENTS);
    statistics.noteAppended(5_000);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(20_000);
    await settle();
    // 5,000 appended since it started, against a threshold of 1,000 + 2,000.
    statistics.noteAppended(1);
    expect(calls).toHaveLength(2);
  });

  it('given an ANALYZE that counted more rows, when appends follow, then the threshold grows with what it counted', async () => {
    const { statistics, calls, settle } = scripted();
    statistics.start({ analyzedRows: 0, appendedSince: 0 });
    statistics.noteAppended(ANALYZE_FLOOR_EVENTS);
    calls[0]!.resolve(50_000);
    await settle();
    statistics.noteAppended(5_999);
    expect(calls).toHaveLength(1);
    statistics.noteAppended(1);
    expect(calls).toHaveLength(2);
  });

  it('given an ANALYZE that fails, when it settles, then the error is told (not thrown) and the next append tries again', async () => {
    const { statistics, calls, errors, settle } = scripted();
    statistics.start({ analyzedRows: 0, appendedSince: 0 });
    statistics.noteAppended(ANALYZE_FLOOR_EVENTS);
    const failure = new Error('Connection terminated');
    calls[0]!.reject(failure);
    await settle();
    expect(errors).toEqual([failure]);
    statistics.noteAppended(1);
    expect(calls).toHaveLength(2);
  });

  it('given an error listener that throws, when an ANALYZE fails, then nothing is left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const statistics = new LogStatistics({
        analyze: () => Promise.reject(new Error('Connection terminated')),
        onError: () => {
          throw new Error('the listener broke');
        },
      });
      statistics.start({ analyzedRows: 0, appendedSince: ANALYZE_FLOOR_EVENTS });
      await statistics.close();
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('given a store that migrates twice, when it starts again, then the second start counts nothing', () => {
    const { statistics, calls } = scripted();
    statistics.start({ analyzedRows: 0, appendedSince: 600 });
    statistics.start({ analyzedRows: 0, appendedSince: 600 });
    expect(calls).toHaveLength(0);
  });

  it('given an ANALYZE in flight, when closed, then close waits for it and no later append starts another', async () => {
    const { statistics, calls } = scripted();
    statistics.start({ analyzedRows: 0, appendedSince: 0 });
    statistics.noteAppended(ANALYZE_FLOOR_EVENTS);
    let closed = false;
    const closing = statistics.close().then(() => {
      closed = true;
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    calls[0]!.resolve(1_000);
    await closing;
    statistics.noteAppended(10 * ANALYZE_FLOOR_EVENTS);
    expect(calls).toHaveLength(1);
  });
});
