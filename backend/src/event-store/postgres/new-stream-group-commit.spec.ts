import type { AppendResult } from '../event-store.port';
import { groupKey, NewStreamGroupCommit, type NewStreamAppend } from './new-stream-group-commit';

/** A writer whose statements the test finishes one by one; it appends everything it is sent. */
const controlledWriter = () => {
  const sent: (readonly NewStreamAppend[])[] = [];
  const finishers: (() => void)[] = [];
  let position = 0n;
  const write = (group: readonly NewStreamAppend[]): Promise<ReadonlyMap<string, AppendResult>> => {
    sent.push(group);
    return new Promise((resolve) =>
      finishers.push(() => {
        const appended = new Map<string, AppendResult>();
        for (const each of group) {
          position += 1n;
          appended.set(groupKey(each.streamId, each.event.id), { nextExpectedRevision: 0n, position });
        }
        resolve(appended);
      }),
    );
  };
  const finishNext = async (): Promise<void> => {
    finishers.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sent, write, finishNext };
};

const event = (id: string) => ({ id, type: 'Attempted', data: {} });

describe('NewStreamGroupCommit', () => {
  it('given nothing in flight, when one append arrives, then it goes out at once, alone', () => {
    const writer = controlledWriter();
    const commit = new NewStreamGroupCommit(writer.write, 1, 100);

    void commit.append('s-1', event('e-1'));

    expect(writer.sent.map((group) => group.length)).toEqual([1]);
  });

  it('given a group in flight, when 5 appends arrive, then they wait and go out as one group after it', async () => {
    const writer = controlledWriter();
    const commit = new NewStreamGroupCommit(writer.write, 1, 100);
    const first = commit.append('s-0', event('e-0'));
    const rest = [1, 2, 3, 4, 5].map((index) => commit.append(`s-${index}`, event(`e-${index}`)));
    expect(writer.sent).toHaveLength(1);

    await writer.finishNext();
    expect(writer.sent.map((group) => group.length)).toEqual([1, 5]);
    await writer.finishNext();

    expect(await first).toEqual({ nextExpectedRevision: 0n, position: 1n });
    expect((await Promise.all(rest)).map((result) => result?.position)).toEqual([2n, 3n, 4n, 5n, 6n]);
  });

  it('given two may be in flight, when three appends arrive, then two go out alone and the third waits', () => {
    const writer = controlledWriter();
    const commit = new NewStreamGroupCommit(writer.write, 2, 100);

    for (const index of [1, 2, 3]) void commit.append(`s-${index}`, event(`e-${index}`));

    expect(writer.sent.map((group) => group.length)).toEqual([1, 1]);
  });

  it('given a size cap, when more wait than it allows, then they go out in groups no bigger than it', async () => {
    const writer = controlledWriter();
    const commit = new NewStreamGroupCommit(writer.write, 1, 2);
    for (const index of [0, 1, 2, 3, 4]) void commit.append(`s-${index}`, event(`e-${index}`));

    await writer.finishNext();
    await writer.finishNext();

    expect(writer.sent.map((group) => group.length)).toEqual([1, 2, 2]);
  });

  it('given the statement skipped an append, when the group commits, then that append is answered null', async () => {
    // Like ON CONFLICT DO NOTHING: the second append to s-1 is not returned.
    const firstPerStream = (group: readonly NewStreamAppend[]) => {
      const appended = new Map<string, AppendResult>();
      const seen = new Set<string>();
      for (const each of group) {
        if (seen.has(each.streamId)) continue;
        seen.add(each.streamId);
        appended.set(groupKey(each.streamId, each.event.id), { nextExpectedRevision: 0n, position: 7n });
      }
      return Promise.resolve(appended);
    };
    const writer = controlledWriter();
    const commit = new NewStreamGroupCommit(
      (group) => (group.length === 1 ? writer.write(group) : firstPerStream(group)),
      1,
      100,
    );
    const blocker = commit.append('s-0', event('e-0'));
    const kept = commit.append('s-1', event('E-1'));
    const skipped = commit.append('s-1', event('e-2'));

    await writer.finishNext();

    await blocker;
    expect(await kept).toEqual({ nextExpectedRevision: 0n, position: 7n });
    expect(await skipped).toBeNull();
  });

  it('given the statement fails, when it was sent, then every append in its group fails with that error and the next group still goes', async () => {
    let calls = 0;
    const failingOnce = (group: readonly NewStreamAppend[]) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('connection lost'));
      return Promise.resolve(
        new Map(
          group.map((each) => [groupKey(each.streamId, each.event.id), { nextExpectedRevision: 0n, position: 1n }]),
        ),
      );
    };
    const commit = new NewStreamGroupCommit(failingOnce, 1, 100);

    const failed = commit.append('s-1', event('e-1'));
    const next = commit.append('s-2', event('e-2'));

    await expect(failed).rejects.toThrow('connection lost');
    await expect(next).resolves.toEqual({ nextExpectedRevision: 0n, position: 1n });
  });
});
