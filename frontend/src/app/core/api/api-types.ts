// Friendly names for the generated schema types. Only this file reaches into
// schema.d.ts, so a regenerated spec breaks the build here first.
import type { components, operations } from './schema';

type Schemas = components['schemas'];

export type HealthResponse = Schemas['HealthResponse'];
export type Seat = Schemas['SeatResponse'];
export type SeatStatus = Seat['status'];
export type SeatTimeline = Schemas['SeatTimelineResponse'];
export type TimelineAttempt = Schemas['TimelineAttemptResponse'];
export type StrategyWinners = Schemas['StrategyWinnersResponse'];
export type StrategyPick = Schemas['StrategyPickResponse'];
export type CreateReservationRequest = Schemas['CreateReservationDto'];
export type Reservation = Schemas['ReservationResponse'];
export type ReservationPage = Schemas['ReservationListResponse'];
export type Conflict = Schemas['ConflictResponse'];
export type ConflictWitness = Schemas['ConflictWitnessResponse'];
export type WitnessAttempt = Schemas['WitnessAttemptResponse'];
export type ConflictPage = Schemas['ConflictListResponse'];
export type Stats = Schemas['StatsResponse'];
export type StrategyAccuracy = Schemas['StrategyAccuracyResponse'];

/** The five orderings the backend compares; `truth` is the reference clock. */
export type OrderingStrategy = keyof StrategyAccuracy;
export const ORDERING_STRATEGIES: readonly OrderingStrategy[] = [
  'server_clock',
  'ntp_corrected',
  'log_order',
  'hlc',
  'truth',
];

export type ConflictKind = NonNullable<
  NonNullable<operations['ConflictsController_list']['parameters']['query']>['kind']
>;
export const CONFLICT_KINDS: readonly ConflictKind[] = ['contention', 'inversion', 'ambiguous'];

export interface ConflictQuery {
  kind?: ConflictKind;
  seat_id?: number;
  server_id?: string;
  /** A seeded run's or a past session's conflicts; omitted = the live lab. */
  run_id?: string;
  limit?: number;
  offset?: number;
}

export type StartReplayRequest = Schemas['StartReplayDto'];
export type ReplayJob = Schemas['ReplayJobResponse'];

/** A booking server's simulated clock as configured (not as estimated by NTP). */
export type ServerClockConfig = Schemas['ClockConfigResponse'];
/** PUT /api/simulation/offsets/:server_id accepts any subset of the editable fields. */
export type ClockChange = Schemas['UpdateClockDto'];
export type TimeStatus = Schemas['TimeStatusResponse'];
export type NtpSource = Schemas['NtpSourceResponse'];
/** POST /api/time/sync: one NTP exchange, RFC 5905 §8 stamps t1..t4. */
export type SyncResult = Schemas['SyncResultResponse'];
/** GET /api/time/history: clock configurations and NTP syncs from the log, oldest first. */
export type ClockHistoryEntry = Schemas['ClockHistoryEntryResponse'];
export type ClockHistoryKind = ClockHistoryEntry['kind'];
export type Scenario = Schemas['ScenarioResponse'];
export type AppliedScenario = Schemas['AppliedScenarioResponse'];

/** POST /api/simulation/runs: a seeded scenario run on a virtual reference clock. */
export type StartScenarioRunRequest = Schemas['StartRunDto'];
export type ScenarioRun = Schemas['ScenarioRunResponse'];
export type ScenarioRunStatus = ScenarioRun['status'];
export type ScenarioRunPhase = ScenarioRun['phase'];
export type ScenarioRunReport = Schemas['ScenarioRunReportResponse'];
export type ScenarioRunWitness = Schemas['ScenarioRunWitnessResponse'];
export type ScenarioRunClock = Schemas['ScenarioRunClockResponse'];
export type ScenarioRunPage = Schemas['ScenarioRunListResponse'];
export type LabResetResponse = Schemas['LabResetResponse'];
export type LabSession = Schemas['LabSessionResponse'];
export type LabSessionList = Schemas['LabSessionListResponse'];
