import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let nowMs = 1_000_000;
  const throttle = () => new LoginThrottle({ maxFailures: 3, windowMs: 60_000, maxClients: 2 }, () => nowMs);

  it('lets a client try until its third failure inside the window, then asks it to wait for the oldest to expire', () => {
    const login = throttle();
    login.recordFailure('a');
    nowMs += 10_000;
    login.recordFailure('a');
    expect(login.retryAfterS('a')).toBeNull();
    nowMs += 10_000;
    login.recordFailure('a');
    expect(login.retryAfterS('a')).toBe(40); // the first failure leaves the window 60 s after it happened
    expect(login.retryAfterS('b')).toBeNull(); // per address
    nowMs += 40_000;
    expect(login.retryAfterS('a')).toBeNull();
  });

  it('forgets a client after a success', () => {
    const login = throttle();
    login.recordFailure('a');
    login.recordFailure('a');
    login.recordSuccess('a');
    login.recordFailure('a');
    expect(login.retryAfterS('a')).toBeNull();
  });

  it('tracks at most maxClients addresses, forgetting the longest quiet first', () => {
    const login = throttle();
    for (const client of ['a', 'b', 'c']) for (let i = 0; i < 3; i += 1) login.recordFailure(client);
    expect(login.retryAfterS('a')).toBeNull();
    expect(login.retryAfterS('b')).not.toBeNull();
    expect(login.retryAfterS('c')).not.toBeNull();
  });
});
