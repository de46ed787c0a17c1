import { inversionConflict, timeStatus } from '../../../testing/fixtures';
import { evaluateAlerts } from './alert-rules';

describe('evaluateAlerts', () => {
  const threshold = { errorBoundThresholdMs: 50, inversions: [] };

  it('is quiet when every server is synchronised within the bound and nothing is inverted', () => {
    expect(evaluateAlerts({ ...threshold, servers: [timeStatus('server-1'), timeStatus('server-2')] })).toEqual([]);
  });

  it('raises a critical alert for an unsynchronised server, and no bound alert on top', () => {
    const alerts = evaluateAlerts({
      ...threshold,
      servers: [timeStatus('server-3', { is_synchronized: false, error_bound_ms: 900 })],
    });
    expect(alerts).toEqual([
      expect.objectContaining({
        id: 'unsynced:server-3',
        kind: 'unsynced',
        severity: 'critical',
        serverId: 'server-3',
      }),
    ]);
  });

  it('warns when the error bound exceeds the threshold, not when it equals it', () => {
    const alerts = evaluateAlerts({
      ...threshold,
      servers: [timeStatus('server-1', { error_bound_ms: 50 }), timeStatus('server-2', { error_bound_ms: 50.1 })],
    });
    expect(alerts.map((alert) => alert.id)).toEqual(['error-bound:server-2']);
    expect(alerts[0].severity).toBe('warning');
    expect(alerts[0].message).toContain('±50.1 ms exceeds 50.0 ms');
  });

  it('raises one alert per inversion naming who the server clocks and the truth put first', () => {
    const [alert] = evaluateAlerts({ ...threshold, servers: [], inversions: [inversionConflict('c9', 7)] });
    expect(alert).toEqual(
      expect.objectContaining({ id: 'inversion:c9', kind: 'inversion', severity: 'critical', seatId: 7 }),
    );
    expect(alert.message).toContain('server clocks put B (server-2) first');
    expect(alert.message).toContain('A (server-1) was truly first');
  });

  it('lists critical alerts before warnings', () => {
    const alerts = evaluateAlerts({
      errorBoundThresholdMs: 10,
      servers: [timeStatus('server-1', { error_bound_ms: 20 }), timeStatus('server-2', { is_synchronized: false })],
      inversions: [inversionConflict()],
    });
    expect(alerts.map((alert) => alert.severity)).toEqual(['critical', 'critical', 'warning']);
  });
});
