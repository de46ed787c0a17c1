import type { AttemptFacts } from '../attempt-facts';
import { UNBOUNDED_ERROR_MS } from '../clock-reading';
import { resolveSeat } from './resolve-seat';
import { settlesAtMs } from './seat-window';

const T0 = 1_700_000_000_000;
const WINDOW_MS = 2000;

/** An attempt at corrected time T0 + atMs ± boundMs, at log position `position`. */
const attempt = (
  name: string,
  atMs: number,
  boundMs: number,
  position: number,
  overrides: Partial<AttemptFacts> = {},
): AttemptFacts => ({
  attemptId: `${name}-id`,
  customerName: name,
  serverId: `server-${name}`,
  localDecision: 'confirmed',
  serverTimeMs: T0 + atMs,
  ntpCorrectedTimeMs: T0 + atMs,
  errorBoundMs: boundMs,
  hlc: String(T0 + atMs).padStart(16, '0'),
  logPosition: BigInt(position),
  ...overrides,
});

const resolve = (attempts: AttemptFacts[], consideredUpTo?: bigint) =>
  resolveSeat({ attempts, windowMs: WINDOW_MS, consideredUpTo })!;

const names = (attempts: readonly AttemptFacts[]) => attempts.map((a) => a.customerName);

describe('resolveSeat: who gets the seat, from what the authority can know', () => {
  it('has nothing to say about a seat nobody asked for', () => {
    expect(resolveSeat({ attempts: [], windowMs: WINDOW_MS })).toBeNull();
  });

  it('a single attempt wins by NTP-corrected time, no conflict', () => {
    const resolution = resolve([attempt('ana', 0, 10, 1)]);
    expect(resolution.kinds).toEqual([]);
    expect(resolution.authoritative).toMatchObject({ winner: { customerName: 'ana' }, decidedBy: 'ntp_corrected' });
    expect(resolution.losers).toEqual([]);
  });

  it('separated intervals: the first by corrected time wins, the other lost provably later', () => {
    const resolution = resolve([attempt('bob', 100, 10, 1), attempt('ana', 0, 10, 2)]);
    expect(resolution.kinds).toEqual(['contention']);
    expect(names(resolution.candidates)).toEqual(['ana']);
    expect(resolution.authoritative).toMatchObject({ winner: { customerName: 'ana' }, decidedBy: 'ntp_corrected' });
    expect(resolution.losers).toEqual([
      {
        attempt: expect.objectContaining({ customerName: 'bob' }),
        reason: { kind: 'provably_later', than: expect.objectContaining({ customerName: 'ana' }) },
      },
    ]);
  });

  it('overlapping intervals are ambiguous: log order among the candidates decides', () => {
    // Ana's corrected time is earlier, but Bob is first in the log and time cannot separate them.
    const resolution = resolve([attempt('bob', 5, 20, 1), attempt('ana', 0, 20, 2)]);
    expect(resolution.kinds).toEqual(['contention', 'ambiguous']);
    expect(resolution.winners.ntp_corrected.customerName).toBe('ana');
    expect(resolution.authoritative).toMatchObject({ winner: { customerName: 'bob' }, decidedBy: 'log_order' });
    expect(resolution.losers[0]!.reason).toEqual({ kind: 'log_order' });
  });

  // Point 3 of the resolution issue: W [−100, 100], Y [9, 11], X [49, 51], X first in the log.
  it('never keeps as a candidate an attempt whose interval lies wholly after another one (point 3 counterexample)', () => {
    const x = attempt('x', 50, 1, 1);
    const y = attempt('y', 10, 1, 2);
    const w = attempt('w', 0, 100, 3);
    const resolution = resolve([x, y, w]);
    expect(names(resolution.candidates)).toEqual(['y', 'w']);
    expect(resolution.kinds).toContain('ambiguous');
    // Y and W overlap, so log order decides between them, never X: X provably came after Y.
    expect(resolution.authoritative.winner.customerName).toBe('y');
    expect(resolution.roles.get('x-id')).toBe('competing');
    expect(resolution.losers.find((loser) => loser.attempt === x)!.reason).toEqual({ kind: 'provably_later', than: y });
  });

  it('touching intervals could be the same instant: both are candidates', () => {
    const resolution = resolve([attempt('a', 0, 5, 1), attempt('b', 10, 5, 2)]);
    expect(names(resolution.candidates)).toEqual(['a', 'b']);
  });

  it('equal corrected times with zero bounds tie: both candidates, log order decides', () => {
    const resolution = resolve([attempt('b', 0, 0, 1), attempt('a', 0, 0, 2)]);
    expect(resolution.kinds).toEqual(['contention', 'ambiguous']);
    expect(resolution.authoritative.winner.customerName).toBe('b');
  });

  describe('the window: anchored on the smallest c + b, closing windowMs later', () => {
    it('an attempt whose interval starts after the close provably came too late and does not compete', () => {
      // Window anchored at ana's c + b = 10, closes at 2010; bob's interval starts at 2090.
      const resolution = resolve([attempt('ana', 0, 10, 1), attempt('bob', 2100, 10, 2)]);
      expect(resolution.window.closesAtMs).toBe(T0 + 2010);
      expect(resolution.kinds).toEqual([]);
      expect(resolution.roles.get('bob-id')).toBe('after_window');
      expect(resolution.losers[0]!.reason).toEqual({ kind: 'after_window', closesAtMs: T0 + 2010 });
    });

    it('an attempt whose interval straddles the close competes (it may have been inside the window)', () => {
      // Bob's interval [1995, 2025] straddles the close at 2010.
      const resolution = resolve([attempt('ana', 0, 10, 1), attempt('bob', 2010, 15, 2)]);
      expect(resolution.roles.get('bob-id')).toBe('competing');
      expect(resolution.kinds).toEqual(['contention']);
      expect(resolution.authoritative.winner.customerName).toBe('ana');
    });

    it('an attempt whose interval starts exactly at the close does not compete', () => {
      const resolution = resolve([attempt('ana', 0, 10, 1), attempt('bob', 2020, 10, 2)]);
      expect(resolution.roles.get('bob-id')).toBe('after_window');
    });

    it('a late attempt whose (stale) corrected time looks earlier still cannot reopen the window', () => {
      // The anchor is the smallest c + b: here the late-looking attempt itself, so it competes and wins.
      // Time is all the authority has: a wrong bound is a violation the lab scores, not a rule to bend.
      const resolution = resolve([attempt('early', 0, 10, 1), attempt('late', -3000, 10, 2)]);
      expect(resolution.authoritative.winner.customerName).toBe('late');
      expect(resolution.roles.get('early-id')).toBe('after_window');
    });

    it('unbounded attempts never anchor the window and always compete: time cannot decide', () => {
      const unbounded = attempt('nosync', -50_000, UNBOUNDED_ERROR_MS, 2);
      const resolution = resolve([attempt('ana', 0, 10, 1), unbounded, attempt('bob', 1500, 10, 3)]);
      expect(resolution.window.anchor!.customerName).toBe('ana');
      expect(resolution.roles.get('nosync-id')).toBe('candidate');
      expect(names(resolution.candidates)).toEqual(['ana', 'nosync']);
      expect(resolution.kinds).toEqual(['contention', 'ambiguous']);
      expect(resolution.authoritative).toMatchObject({ winner: { customerName: 'ana' }, decidedBy: 'log_order' });
    });

    it('a seat whose attempts are all unbounded has no close in time: all compete, log order decides', () => {
      const resolution = resolve([
        attempt('a', 0, UNBOUNDED_ERROR_MS, 1),
        attempt('b', -9000, Number.POSITIVE_INFINITY, 2),
      ]);
      expect(resolution.window).toEqual({ anchor: null, closesAtMs: Number.POSITIVE_INFINITY });
      expect(resolution.authoritative).toMatchObject({ winner: { customerName: 'a' }, decidedBy: 'log_order' });
    });
  });

  describe('the cutoff: what the authority had read when it decided', () => {
    it('attempts after the cutoff do not compete; they reached the log after the decision', () => {
      const resolution = resolve([attempt('ana', 10, 5, 1), attempt('bob', 0, 5, 5)], 4n);
      expect(resolution.authoritative.winner.customerName).toBe('ana');
      expect(resolution.roles.get('bob-id')).toBe('after_settlement');
      expect(resolution.losers[0]!.reason).toEqual({ kind: 'after_settlement' });
    });

    it('the window is anchored on the considered attempts only', () => {
      const resolution = resolve([attempt('ana', 0, 5, 1), attempt('bob', -5000, 5, 9)], 2n);
      expect(resolution.window.anchor!.customerName).toBe('ana');
    });
  });

  it('inversion: server clocks pick another attempt than NTP-corrected time', () => {
    const ana = attempt('ana', 0, 10, 1, { serverTimeMs: T0 + 20_000 });
    const bob = attempt('bob', 1000, 10, 2, { serverTimeMs: T0 - 9000 });
    const resolution = resolve([ana, bob]);
    expect(resolution.kinds).toEqual(['contention', 'inversion']);
    expect(resolution.winners.server_clock).toBe(bob);
    expect(resolution.authoritative.winner).toBe(ana);
  });

  it('a single candidate is always the NTP-corrected winner', () => {
    const resolution = resolve([attempt('c', 300, 1, 1), attempt('b', 200, 1, 2), attempt('a', 100, 40, 3)]);
    expect(resolution.candidates).toHaveLength(1);
    expect(resolution.authoritative.winner).toBe(resolution.winners.ntp_corrected);
  });
});

describe('settlesAtMs: when the authority may settle, on its own clock', () => {
  it('is the close plus the grace for a bounded seat', () => {
    const { window } = resolve([attempt('ana', 0, 10, 1)]);
    expect(settlesAtMs(window, { firstSeenAtMs: T0 + 99, windowMs: WINDOW_MS, graceMs: 250 })).toBe(T0 + 2260);
  });

  it('is at the latest the window after the authority first saw the seat: stamps in the future cannot hold it', () => {
    // A clock stepped a minute ahead unseen: the attempt claims T0 + 60 s, yet the authority saw it at T0 + 5.
    const { window } = resolve([attempt('ahead', 60_000, 10, 1)]);
    expect(settlesAtMs(window, { firstSeenAtMs: T0 + 5, windowMs: WINDOW_MS, graceMs: 250 })).toBe(T0 + 2255);
  });

  it('is the window after the authority first saw it, plus the grace, when nothing is bounded', () => {
    const { window } = resolve([attempt('a', 0, UNBOUNDED_ERROR_MS, 1)]);
    expect(settlesAtMs(window, { firstSeenAtMs: T0 + 99, windowMs: WINDOW_MS, graceMs: 250 })).toBe(T0 + 2349);
  });
});
