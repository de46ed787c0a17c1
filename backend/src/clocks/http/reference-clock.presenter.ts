/** The reference clock's status → its snake_case API shape. */
import type { NtpReferenceStatus, NtpSourceReport } from '../ntp/ntp-reference-status';
import type { NtpSourceReportResponse, NtpSourceResponse } from './reference-clock.responses';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

const presentSourceReport = (report: NtpSourceReport): NtpSourceReportResponse => ({
  server: report.server,
  status: report.status,
  reason: report.reason,
  detail: report.detail,
  offset_ms: report.offsetMs,
  round_trip_delay_ms: report.roundTripDelayMs,
  root_distance_ms: report.rootDistanceMs,
  stratum: report.stratum,
  authenticated: report.authenticated,
  ignored_datagrams: report.ignoredDatagrams,
});

export const presentNtpSource = (server: string, status: NtpReferenceStatus): NtpSourceResponse => {
  const common = {
    server,
    state: status.state,
    synchronized: status.synchronized,
    slew_remaining_ms: status.slewRemainingMs,
    max_slew_ppm: status.maxSlewPpm,
    frequency_ppm: status.frequencyPpm,
    authentication: status.authentication
      ? { key_id: status.authentication.keyId, type: status.authentication.type }
      : null,
    sources: status.sources.map(presentSourceReport),
  };
  switch (status.state) {
    case 'synchronized':
      return {
        ...common,
        reason: null,
        offset_ms: status.offsetMs,
        uncertainty_ms: status.uncertaintyMs,
        round_trip_delay_ms: status.roundTripDelayMs,
        stratum: status.stratum,
        last_sync_at: iso(status.lastSyncAt),
        last_attempt_at: iso(status.lastSyncAt),
        holdover_since: null,
        holdover_ms: null,
      };
    case 'holdover':
      return {
        ...common,
        reason: status.reason,
        offset_ms: status.offsetMs,
        uncertainty_ms: status.uncertaintyMs,
        round_trip_delay_ms: null,
        stratum: null,
        last_sync_at: iso(status.lastSyncAt),
        last_attempt_at: isoOrNull(status.lastAttemptAt),
        holdover_since: iso(status.holdoverSince),
        holdover_ms: status.holdoverForMs,
      };
    case 'unsynced':
      return {
        ...common,
        reason: status.reason,
        offset_ms: null,
        uncertainty_ms: null,
        round_trip_delay_ms: null,
        stratum: null,
        last_sync_at: null,
        last_attempt_at: isoOrNull(status.lastAttemptAt),
        holdover_since: null,
        holdover_ms: null,
      };
  }
};
