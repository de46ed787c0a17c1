import { AppendAnnouncer } from './append-announcer';

/** A send whose completion the test controls, counting the calls. */
const controlledSend = () => {
  const finishers: (() => void)[] = [];
  return {
    calls: () => finishers.length,
    finishNext: async () => {
      finishers.shift()?.();
      // Let the announcer's loop see the finished send and decide on the next.
      await new Promise((resolve) => setImmediate(resolve));
    },
    send: () => new Promise<void>((resolve) => finishers.push(resolve)),
    get pending() {
      return finishers.length;
    },
  };
};

describe('AppendAnnouncer', () => {
  it('given nothing in flight, when one append is announced, then one NOTIFY goes out at once', () => {
    const sent = controlledSend();
    const announcer = new AppendAnnouncer(sent.send);

    announcer.announce();

    expect(sent.calls()).toBe(1);
  });

  it('given a NOTIFY in flight, when 100 more appends are announced, then exactly one more goes out after it', async () => {
    let calls = 0;
    const sent = controlledSend();
    const announcer = new AppendAnnouncer(() => {
      calls += 1;
      return sent.send();
    });
    announcer.announce();

    for (let index = 0; index < 100; index += 1) announcer.announce();
    expect(calls).toBe(1);
    await sent.finishNext();
    expect(calls).toBe(2);
    await sent.finishNext();

    expect(calls).toBe(2);
    expect(sent.pending).toBe(0);
  });

  it('given a failing NOTIFY, when the next append is announced, then the error was reported and announcing goes on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const announcer = new AppendAnnouncer(
      () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('connection lost')) : Promise.resolve();
      },
      (error) => errors.push(error),
    );
    announcer.announce();
    await new Promise((resolve) => setImmediate(resolve));

    announcer.announce();
    await new Promise((resolve) => setImmediate(resolve));

    expect(errors).toEqual([new Error('connection lost')]);
    expect(calls).toBe(2);
  });
});
