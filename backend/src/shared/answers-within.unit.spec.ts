import { answersWithin } from './answers-within';

describe('answersWithin', () => {
  it('is true when the probe resolves in time', async () => {
    expect(await answersWithin(async () => 'pong', 100)).toBe(true);
  });

  it('is false when the probe rejects or throws synchronously', async () => {
    expect(await answersWithin(() => Promise.reject(new Error('down')), 100)).toBe(false);
    expect(
      await answersWithin(() => {
        throw new Error('boom');
      }, 100),
    ).toBe(false);
  });

  it('is false when the probe hangs past the timeout', async () => {
    const started = Date.now();
    expect(await answersWithin(() => new Promise(() => undefined), 50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
