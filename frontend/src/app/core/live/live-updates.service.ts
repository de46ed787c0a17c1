import { DestroyRef, Injectable, Signal, computed, inject, signal } from '@angular/core';
import { APP_CONFIG } from '../config/app-config';
import { BackendHealth } from './backend-health.service';
import { EVENT_SOURCE_FACTORY, EventSourceLike } from './event-source';
import { CHANGED_ENTITIES, ChangedEntity, LagEvent, parseChange, parseLag } from './live-events';

export type LiveStatus = 'live' | 'catching-up' | 'disconnected';
type StreamState = 'connecting' | 'open' | 'closed';

const STREAM_PATH = '/api/events/stream';

/**
 * Keeps the console current. The SSE stream says what changed; each entity
 * kind has a version signal that stores watch to reload. When the stream is
 * down the stream reconnects by itself with backoff, and meanwhile every
 * health poll bumps all versions (polling fallback), so screens never freeze.
 */
@Injectable({ providedIn: 'root' })
export class LiveUpdates {
  private readonly config = inject(APP_CONFIG);
  private readonly health = inject(BackendHealth);
  private readonly createSource = inject(EVENT_SOURCE_FACTORY);

  private readonly stream = signal<StreamState>('closed');
  readonly lag = signal<LagEvent | null>(null);
  private readonly versions = signal<Record<ChangedEntity, number>>({ seat: 0, attempt: 0, conflict: 0, clock: 0 });

  private source: EventSourceLike | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs: number;
  private started = false;

  readonly status: Signal<LiveStatus> = computed(() => {
    const backend = this.health.state();
    if (backend === 'down' || backend === 'store-down') return 'disconnected';
    if (this.stream() !== 'open') return 'catching-up';
    return this.lag()?.caught_up === false ? 'catching-up' : 'live';
  });

  readonly statusDetail = computed(() => {
    const backend = this.health.state();
    if (backend === 'down') return 'Backend unreachable: retrying by itself.';
    if (backend === 'store-down') return 'Backend up but its store is unavailable (503).';
    if (this.stream() !== 'open') return 'Live stream reconnecting; polling meanwhile.';
    const lag = this.lag();
    if (lag && !lag.caught_up) return `Projecting: ${lag.projected_position} of ${lag.head_position}`;
    return 'Live: read model caught up.';
  });

  constructor() {
    this.backoffMs = this.config.streamInitialBackoffMs;
    this.health.onPoll((state, previous) => {
      const recovered = previous !== state && state === 'up';
      // Without the stream, a health poll is the only refresh signal there is.
      if (recovered || (state === 'up' && this.stream() !== 'open')) this.bump(CHANGED_ENTITIES);
      if (recovered && this.stream() === 'closed' && this.reconnectTimer === undefined) this.connect();
    });
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Version of an entity kind: read it inside computed/effect to reload on change. */
  version(entity: ChangedEntity): number {
    return this.versions()[entity];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.health.start();
    this.connect();
  }

  stop(): void {
    this.started = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.source?.close();
    this.source = null;
    this.stream.set('closed');
  }

  /** Everything may have changed (e.g. a scenario was applied): reload all. */
  refreshAll(): void {
    this.bump(CHANGED_ENTITIES);
  }

  private bump(entities: readonly ChangedEntity[]): void {
    this.versions.update((current) => {
      const next = { ...current };
      for (const entity of entities) next[entity] += 1;
      return next;
    });
  }

  private connect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.source?.close();
    this.stream.set('connecting');
    const source = this.createSource(this.config.apiBaseUrl + STREAM_PATH);
    this.source = source;
    source.onopen = () => {
      this.stream.set('open');
      this.backoffMs = this.config.streamInitialBackoffMs;
      // Events may have been missed while closed.
      this.bump(CHANGED_ENTITIES);
    };
    source.onerror = () => this.scheduleReconnect(source);
    source.addEventListener('change', (event) => {
      const change = parseChange(event.data);
      if (change) this.bump(change.entity === 'seat' ? ['seat'] : [change.entity, 'seat']);
    });
    source.addEventListener('reset', () => this.bump(CHANGED_ENTITIES));
    source.addEventListener('lag', (event) => {
      const lag = parseLag(event.data);
      if (lag) this.lag.set(lag);
    });
  }

  /** The browser retries some failures itself but gives up on others; own the retry to be sure. */
  private scheduleReconnect(failed: EventSourceLike): void {
    if (failed !== this.source || !this.started) return;
    failed.close();
    this.source = null;
    this.stream.set('closed');
    this.lag.set(null);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.config.streamMaxBackoffMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.started) this.connect();
    }, delay);
    void this.health.poll();
  }
}
