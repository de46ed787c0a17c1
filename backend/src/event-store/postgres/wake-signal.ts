/**
 * An in-process "something was appended" signal. LISTEN/NOTIFY does not cross
 * pglite-socket, so a store wakes its own subscriptions directly and relies on
 * polling for appends made by other processes.
 */
export class WakeSignal {
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  /** A counter that changes on every notify: compare two readings to detect a missed wake-up. */
  get current(): number {
    return this.generation;
  }

  notify(): void {
    this.generation += 1;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves on the next notify, after `timeoutMs`, or at once if a notify
   * happened since `seenGeneration` was read.
   */
  wait(timeoutMs: number, seenGeneration: number): Promise<void> {
    if (seenGeneration !== this.generation) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
    });
  }
}
