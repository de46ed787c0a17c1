import { InjectionToken } from '@angular/core';

/** One config object for the console; tests override it with shorter intervals. */
export interface AppConfig {
  /** Prefix for every API call; empty because the dev proxy and the static server forward /api and /health. */
  apiBaseUrl: string;
  /** How often /health is polled; also the refresh period while the live stream is unavailable. */
  healthPollMs: number;
  /** First reconnect delay of the live stream; doubles up to `streamMaxBackoffMs`. */
  streamInitialBackoffMs: number;
  streamMaxBackoffMs: number;
  /** Change bursts are coalesced: a store reloads at most once per this window. */
  refreshDebounceMs: number;
  /** Booking servers assumed until /api/time/status tells the real list. */
  fallbackServerIds: readonly string[];
  /** Error bound above which the NTP dashboard raises an alert. */
  errorBoundAlertMs: number;
  /** How often the NTP screen re-reads the clocks: drift moves them between syncs. */
  clockPollMs: number;
}

export const DEFAULT_APP_CONFIG: AppConfig = {
  apiBaseUrl: '',
  healthPollMs: 3000,
  streamInitialBackoffMs: 1000,
  streamMaxBackoffMs: 10_000,
  refreshDebounceMs: 250,
  fallbackServerIds: ['server-1', 'server-2', 'server-3', 'server-4', 'server-5'],
  errorBoundAlertMs: 50,
  clockPollMs: 2000,
};

export const APP_CONFIG = new InjectionToken<AppConfig>('APP_CONFIG', {
  providedIn: 'root',
  factory: () => DEFAULT_APP_CONFIG,
});
