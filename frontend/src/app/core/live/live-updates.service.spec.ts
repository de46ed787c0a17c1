import { TestBed } from '@angular/core/testing';
import { FakeLabApi, fakeLabApi, provideFakeLabApi } from '../../../testing/fake-lab-api';
import { ApiCallError } from '../api/api-error';
import { APP_CONFIG, DEFAULT_APP_CONFIG } from '../config/app-config';
import { EVENT_SOURCE_FACTORY, EventSourceLike } from './event-source';
import { LiveUpdates } from './live-updates.service';

class FakeEventSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, (event: MessageEvent<string>) => void>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, listener);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data: unknown): void {
    this.listeners.get(type)?.({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
}

const healthy = { status: 'ok', event_store: { kind: 'pglite' }, read_model: { caught_up: true } };
const unreachable = new ApiCallError({ status: 0, messages: ['The backend is unreachable.'], fieldErrors: {} });

describe('LiveUpdates (the live / catching up / disconnected indicator)', () => {
  let api: FakeLabApi;
  let sources: FakeEventSource[];

  function setup(): LiveUpdates {
    TestBed.configureTestingModule({
      providers: [
        provideFakeLabApi(api),
        {
          provide: APP_CONFIG,
          useValue: { ...DEFAULT_APP_CONFIG, healthPollMs: 1000, streamInitialBackoffMs: 100, streamMaxBackoffMs: 400 },
        },
        {
          provide: EVENT_SOURCE_FACTORY,
          useValue: (url: string) => sources[sources.push(new FakeEventSource(url)) - 1],
        },
      ],
    });
    return TestBed.inject(LiveUpdates);
  }

  const flush = () => jest.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    jest.useFakeTimers();
    api = fakeLabApi();
    api.health.mockResolvedValue(healthy);
    sources = [];
  });

  afterEach(() => {
    TestBed.inject(LiveUpdates).stop();
    jest.useRealTimers();
  });

  it('is live once the stream is open and the read model has caught up', async () => {
    const live = setup();
    live.start();
    await flush();
    expect(sources[0].url).toBe('/api/events/stream');
    expect(live.status()).toBe('catching-up');
    sources[0].onopen?.(new Event('open'));
    expect(live.status()).toBe('live');
    sources[0].emit('lag', { head_position: '90', projected_position: '40', caught_up: false });
    expect(live.status()).toBe('catching-up');
    expect(live.statusDetail()).toContain('40 of 90');
    sources[0].emit('lag', { head_position: '90', projected_position: '90', caught_up: true });
    expect(live.status()).toBe('live');
  });

  it('bumps the version of what changed', async () => {
    const live = setup();
    live.start();
    await flush();
    sources[0].onopen?.(new Event('open'));
    const before = { seat: live.version('seat'), conflict: live.version('conflict'), clock: live.version('clock') };
    sources[0].emit('change', { entity: 'conflict', id: 'c1', run_id: null, position: '5' });
    expect(live.version('conflict')).toBe(before.conflict + 1);
    expect(live.version('seat')).toBe(before.seat + 1);
    expect(live.version('clock')).toBe(before.clock);
    sources[0].emit('change', { entity: 'nonsense' });
    expect(live.version('conflict')).toBe(before.conflict + 1);
  });

  it('reconnects by itself with growing backoff after the stream fails', async () => {
    const live = setup();
    live.start();
    await flush();
    sources[0].onerror?.(new Event('error'));
    expect(sources[0].closed).toBe(true);
    expect(live.status()).toBe('catching-up');
    await jest.advanceTimersByTimeAsync(100);
    expect(sources).toHaveLength(2);
    sources[1].onerror?.(new Event('error'));
    await jest.advanceTimersByTimeAsync(100);
    expect(sources).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(100);
    expect(sources).toHaveLength(3);
    sources[2].onopen?.(new Event('open'));
    expect(live.status()).toBe('live');
  });

  it('says disconnected while the backend is unreachable and recovers when it answers again', async () => {
    const live = setup();
    live.start();
    await flush();
    sources[0].onopen?.(new Event('open'));
    api.health.mockRejectedValue(unreachable);
    await jest.advanceTimersByTimeAsync(1000);
    expect(live.status()).toBe('disconnected');
    expect(live.statusDetail()).toContain('unreachable');

    const seatVersion = live.version('seat');
    api.health.mockResolvedValue(healthy);
    await jest.advanceTimersByTimeAsync(1000);
    expect(live.status()).not.toBe('disconnected');
    expect(live.version('seat')).toBeGreaterThan(seatVersion);
  });
});
