import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, firstValueFrom } from 'rxjs';
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

  private async call<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request);
    } catch (error) {
      throw new ApiCallError(toApiError(error));
    }
  }

  private get<T>(path: string, query: Record<string, QueryValue> = {}): Promise<T> {
    return this.call(this.http.get<T>(this.base + path, { params: paramsOf(query) }));
  }

  private post<T>(path: string, body: unknown, query: Record<string, QueryValue> = {}): Promise<T> {
    return this.call(this.http.post<T>(this.base + path, body, { params: paramsOf(query) }));
  }

  health(): Promise<HealthResponse> {
    return this.get('/health');
  }

  seats(): Promise<Seat[]> {
    return this.get('/api/seats');
  }

  seatTimeline(seatId: number): Promise<SeatTimeline> {
    return this.get(`/api/seats/${seatId}/timeline`);
  }

  reserve(request: CreateReservationRequest): Promise<Reservation> {
    return this.post('/api/reservations', request);
  }

  reservation(id: string): Promise<Reservation> {
    return this.get(`/api/reservations/${encodeURIComponent(id)}`);
  }

  conflicts(query: ConflictQuery = {}): Promise<ConflictPage> {
    return this.get('/api/conflicts', { ...query });
  }

  conflict(id: string): Promise<Conflict> {
    return this.get(`/api/conflicts/${encodeURIComponent(id)}`);
  }

  stats(): Promise<Stats> {
    return this.get('/api/stats');
  }

  startReplay(request: StartReplayRequest = {}): Promise<ReplayJob> {
    return this.post('/api/replay', request);
  }

  replay(id: string): Promise<ReplayJob> {
    return this.get(`/api/replay/${encodeURIComponent(id)}`);
  }

  timeStatus(): Promise<TimeStatus[]> {
    return this.get('/api/time/status');
  }

  forceSync(serverId: string): Promise<SyncResult> {
    return this.post('/api/time/sync', {}, { server_id: serverId });
  }

  /** Configurations and synchronisations of the server clocks, oldest first. */
  clockHistory(serverId?: string, limit = 200): Promise<ClockHistoryEntry[]> {
    return this.get('/api/time/history', { server_id: serverId, limit });
  }

  serverClocks(): Promise<ServerClockConfig[]> {
    return this.get('/api/simulation/offsets');
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

  scenarioRuns(): Promise<ScenarioRunPage> {
    return this.get('/api/simulation/runs');
  }

  scenarioRun(id: string): Promise<ScenarioRun> {
    return this.get(`/api/simulation/runs/${encodeURIComponent(id)}`);
  }
}
