import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, firstValueFrom, fromEvent, takeUntil } from 'rxjs';
import { APP_CONFIG } from '../config/app-config';
import { ApiCallError, toApiError } from './api-error';
import type {
  AppliedScenario,
  ClockChange,
  ClockHistoryEntry,
  Conflict,
  ConflictPage,
  ConflictQuery,
  CreateReservationRequest,
  HealthResponse,
  LabResetResponse,
  LabSessionList,
  ReplayJob,
  Reservation,
  Scenario,
  ScenarioRun,
  ScenarioRunPage,
  Seat,
  SeatTimeline,
  ServerClockConfig,
  StartReplayRequest,
  StartScenarioRunRequest,
  Stats,
  SyncResult,
  TimeStatus,
} from './api-types';
import type { TokenRequest, TokenResponse } from './pending-contract-types';

type QueryValue = string | number | boolean | undefined;

function paramsOf(query: Record<string, QueryValue>): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params = params.set(key, String(value));
  }
  return params;
}

/**
 * The whole REST API as typed promises. Every failure becomes an ApiCallError
 * carrying one ApiError shape; nothing is swallowed here.
 */
@Injectable({ providedIn: 'root' })
export class LabApi {
  private readonly http = inject(HttpClient);
  private readonly base = inject(APP_CONFIG).apiBaseUrl;

  /** An aborted signal unsubscribes, which cancels the HTTP request itself (a stale load costs nothing more). */
  private async call<T>(request: Observable<T>, abort?: AbortSignal): Promise<T> {
    try {
      return await firstValueFrom(abort ? request.pipe(takeUntil(fromEvent(abort, 'abort'))) : request);
    } catch (error) {
      throw new ApiCallError(toApiError(error));
    }
  }

  private get<T>(path: string, query: Record<string, QueryValue> = {}, abort?: AbortSignal): Promise<T> {
    return this.call(this.http.get<T>(this.base + path, { params: paramsOf(query) }), abort);
  }

  private post<T>(path: string, body: unknown, query: Record<string, QueryValue> = {}): Promise<T> {
    return this.call(this.http.post<T>(this.base + path, body, { params: paramsOf(query) }));
  }

  health(): Promise<HealthResponse> {
    return this.get('/health');
  }

  seats(abort?: AbortSignal): Promise<Seat[]> {
    return this.get('/api/seats', {}, abort);
  }

  /** `runId`: a seeded run's or a past session's seat; omitted = the live lab. */
  seatTimeline(seatId: number, runId?: string, abort?: AbortSignal): Promise<SeatTimeline> {
    return this.get(`/api/seats/${seatId}/timeline`, { run_id: runId }, abort);
  }

  reserve(request: CreateReservationRequest): Promise<Reservation> {
    return this.post('/api/reservations', request);
  }

  reservation(id: string): Promise<Reservation> {
    return this.get(`/api/reservations/${encodeURIComponent(id)}`);
  }

  conflicts(query: ConflictQuery = {}, abort?: AbortSignal): Promise<ConflictPage> {
    return this.get('/api/conflicts', { ...query }, abort);
  }

  conflict(id: string): Promise<Conflict> {
    return this.get(`/api/conflicts/${encodeURIComponent(id)}`);
  }

  /** `runId`: a seeded run's or a past session's figures; omitted = the live lab. */
  stats(runId?: string, abort?: AbortSignal): Promise<Stats> {
    return this.get('/api/stats', { run_id: runId }, abort);
  }

  startReplay(request: StartReplayRequest = {}): Promise<ReplayJob> {
    return this.post('/api/replay', request);
  }

  replay(id: string): Promise<ReplayJob> {
    return this.get(`/api/replay/${encodeURIComponent(id)}`);
  }

  timeStatus(abort?: AbortSignal): Promise<TimeStatus[]> {
    return this.get('/api/time/status', {}, abort);
  }

  forceSync(serverId: string): Promise<SyncResult> {
    return this.post('/api/time/sync', {}, { server_id: serverId });
  }

  /** Configurations and synchronisations of the server clocks, oldest first. */
  clockHistory(serverId?: string, limit = 200, abort?: AbortSignal): Promise<ClockHistoryEntry[]> {
    return this.get('/api/time/history', { server_id: serverId, limit }, abort);
  }

  serverClocks(abort?: AbortSignal): Promise<ServerClockConfig[]> {
    return this.get('/api/simulation/offsets', {}, abort);
  }

  changeServerClock(serverId: string, change: ClockChange): Promise<ServerClockConfig> {
    return this.call(
      this.http.put<ServerClockConfig>(`${this.base}/api/simulation/offsets/${encodeURIComponent(serverId)}`, change),
    );
  }

  scenarios(): Promise<Scenario[]> {
    return this.get('/api/simulation/scenarios');
  }

  /** The backend syncs every server once after applying, so estimates are fresh when this resolves. */
  applyScenario(name: string, seed?: number): Promise<AppliedScenario> {
    return this.post(`/api/simulation/scenarios/${encodeURIComponent(name)}/apply`, {}, { seed });
  }

  startScenarioRun(request: StartScenarioRunRequest): Promise<ScenarioRun> {
    return this.post('/api/simulation/runs', request);
  }

  scenarioRuns(abort?: AbortSignal): Promise<ScenarioRunPage> {
    return this.get('/api/simulation/runs', {}, abort);
  }

  scenarioRun(id: string, abort?: AbortSignal): Promise<ScenarioRun> {
    return this.get(`/api/simulation/runs/${encodeURIComponent(id)}`, {}, abort);
  }

  /** Exchanges the operator's credentials for a bearer token (401 wrong, 429 throttled). */
  issueToken(request: TokenRequest): Promise<TokenResponse> {
    return this.post('/api/auth/token', request);
  }

  /** Operator: starts a new session of the experiment; the old one stays in the log. */
  resetLab(): Promise<LabResetResponse> {
    return this.post('/api/lab/reset', {});
  }

  labSessions(abort?: AbortSignal): Promise<LabSessionList> {
    return this.get('/api/lab/sessions', {}, abort);
  }
}
