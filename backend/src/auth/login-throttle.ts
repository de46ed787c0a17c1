/**
 * Wrong passwords per client address: after `maxFailures` inside `windowMs`,
 * every sign-in from that address (right password included) is refused until
 * the oldest failure leaves the window. A success clears the address's record.
 * Memory stays bounded: at most `maxClients` addresses are tracked, the
 * longest-quiet one forgotten first.
 */
export interface LoginThrottleOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly maxClients?: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: LoginThrottleOptions,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Null when the client may try; otherwise the seconds to wait (for Retry-After). */
  retryAfterS(client: string): number | null {
    const recent = this.recent(client);
    if (recent.length < this.options.maxFailures) return null;
    const oldest = recent[recent.length - this.options.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.options.windowMs - this.nowMs()) / 1000));
  }

  recordFailure(client: string): void {
    const recent = [...this.recent(client), this.nowMs()].slice(-this.options.maxFailures);
    this.failures.delete(client);
    this.failures.set(client, recent);
    const maxClients = this.options.maxClients ?? 10_000;
    while (this.failures.size > maxClients) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(client: string): void {
    this.failures.delete(client);
  }

  private recent(client: string): number[] {
    const since = this.nowMs() - this.options.windowMs;
    return (this.failures.get(client) ?? []).filter((at) => at > since);
  }
}
