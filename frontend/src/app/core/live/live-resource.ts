import { DestroyRef, Signal, computed, effect, inject, linkedSignal, resource, signal, untracked } from '@angular/core';
import { ApiError, apiErrorOf } from '../api/api-error';
import { APP_CONFIG } from '../config/app-config';
import { ChangedEntity } from './live-events';
import { LiveUpdates } from './live-updates.service';

/** A load kept current by the live stream; stale answers never land. */
export interface LiveResource<T> {
  /** The last answer, kept while a newer one loads (no flicker); undefined before the first or without params. */
  readonly value: Signal<T | undefined>;
  /** Why the last load failed; null once a load succeeds again. */
  readonly error: Signal<ApiError | null>;
  readonly loading: Signal<boolean>;
  /** Loads again now, e.g. right after a command changed something. */
  reload(): void;
}

export interface LiveResourceOptions<P, T> {
  /** Entity kinds whose change (from the live stream, debounced) reloads. */
  reloadOn: readonly ChangedEntity[];
  /** What to load; undefined = nothing (idle). A change loads at once and aborts the older load. */
  params?: () => P | undefined;
  load: (params: P, abort: AbortSignal) => Promise<T>;
}

/**
 * Counts change bursts of the given entity kinds: a replay emits thousands of
 * changes, and they collapse into one increment per debounce window.
 */
export function debouncedChanges(entities: readonly ChangedEntity[]): Signal<number> {
  const live = inject(LiveUpdates);
  const debounceMs = inject(APP_CONFIG).refreshDebounceMs;
  const count = signal(0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = true;
  effect(() => {
    for (const entity of entities) live.version(entity);
    untracked(() => {
      if (first) {
        first = false;
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => count.update((n) => n + 1), debounceMs);
    });
  });
  inject(DestroyRef).onDestroy(() => clearTimeout(timer));
  return count.asReadonly();
}

/**
 * Angular's resource() fed by the live stream: every change of params or of
 * the watched entities starts a load and aborts the one in flight (its HTTP
 * request is cancelled and its answer ignored), so an older answer never
 * overwrites a newer filter's. Call it in an injection context.
 */
export function liveResource<P, T>(options: LiveResourceOptions<P, T>): LiveResource<T> {
  const changes = debouncedChanges(options.reloadOn);
  const manual = signal(0);
  const paramsOf = options.params ?? (() => undefined as P);
  const loaded = resource({
    params: () => {
      const params = paramsOf();
      if (options.params && params === undefined) return undefined;
      return { params: params as P, changes: changes(), manual: manual() };
    },
    loader: ({ params, abortSignal }) => options.load(params.params, abortSignal),
  });
  const value = linkedSignal<{ idle: boolean; value: T | undefined }, T | undefined>({
    source: () => ({ idle: loaded.status() === 'idle', value: loaded.hasValue() ? loaded.value() : undefined }),
    computation: (next, previous) => (next.idle ? undefined : (next.value ?? previous?.value)),
  });
  return {
    value,
    error: computed(() => {
      const error = loaded.error();
      return error ? apiErrorOf(error) : null;
    }),
    loading: loaded.isLoading,
    reload: () => manual.update((n) => n + 1),
  };
}
