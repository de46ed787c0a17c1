// When the lab raises an alert (the bar on every screen, the NTP screen's list). Pure so the rules are tested
// without a browser and read in one place.
import type { Conflict, TimeStatus } from '../api/api-types';
import { formatMs } from '../../shared/format';

export type AlertSeverity = 'critical' | 'warning';
export type AlertKind = 'unsynced' | 'error-bound' | 'inversion';

export interface LabAlert {
  /** Stable across refreshes, so the list does not flicker. */
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  message: string;
  serverId?: string;
  seatId?: number;
}

export interface AlertInputs {
  servers: readonly Pick<TimeStatus, 'server_id' | 'is_synchronized' | 'error_bound_ms'>[];
  /** Conflicts of kind `inversion` (most recent first). */
  inversions: readonly Pick<Conflict, 'id' | 'seat_id' | 'witness'>[];
  errorBoundThresholdMs: number;
}

const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, warning: 1 };

export function evaluateAlerts({ servers, inversions, errorBoundThresholdMs }: AlertInputs): LabAlert[] {
  const alerts: LabAlert[] = [];
  for (const server of servers) {
    if (!server.is_synchronized) {
      // An unsynced server's error bound is meaningless; one alert says it all.
      alerts.push({
        id: `unsynced:${server.server_id}`,
        kind: 'unsynced',
        severity: 'critical',
        serverId: server.server_id,
        message: `${server.server_id} is not synchronised: its timestamps cannot be corrected.`,
      });
    } else if (server.error_bound_ms === null || server.error_bound_ms > errorBoundThresholdMs) {
      // null = unbounded: the backend has no sync to bound the error with.
      const bound = server.error_bound_ms === null ? 'is unbounded' : `±${formatMs(server.error_bound_ms)}`;
      alerts.push({
        id: `error-bound:${server.server_id}`,
        kind: 'error-bound',
        severity: 'warning',
        serverId: server.server_id,
        message: `${server.server_id} error bound ${bound} exceeds ${formatMs(errorBoundThresholdMs)}.`,
      });
    }
  }
  for (const conflict of inversions) {
    const { server_clock: byServerClock, truth } = conflict.witness.winners;
    alerts.push({
      id: `inversion:${conflict.id}`,
      kind: 'inversion',
      severity: 'critical',
      seatId: conflict.seat_id,
      message:
        `Inversion on seat ${conflict.seat_id}: server clocks put ${byServerClock.customer_name} (${byServerClock.server_id}) first, ` +
        `but ${truth.customer_name} (${truth.server_id}) was truly first.`,
    });
  }
  return alerts.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
