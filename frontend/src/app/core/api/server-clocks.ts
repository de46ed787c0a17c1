import type { ConfiguredClock, ServerClockConfig } from './pending-endpoints';

const CLOCK_FIELDS: readonly (keyof ConfiguredClock)[] = [
  'offset_ms',
  'drift_ppm',
  'jitter_ms',
  'outbound_delay_ms',
  'inbound_delay_ms',
  'never_syncs',
];

function clockOf(serverId: string, raw: unknown): ServerClockConfig {
  const source = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  // Some answers nest the clock under `configured` (like /api/time/status does).
  const fields = (
    source['configured'] && typeof source['configured'] === 'object' ? source['configured'] : source
  ) as Record<string, unknown>;
  const clock: ServerClockConfig = {
    server_id: serverId,
    offset_ms: 0,
    drift_ppm: 0,
    jitter_ms: 0,
    outbound_delay_ms: 0,
    inbound_delay_ms: 0,
    never_syncs: false,
  };
  for (const field of CLOCK_FIELDS) {
    const value = fields[field];
    if (field === 'never_syncs') clock.never_syncs = value === true;
    else if (typeof value === 'number') clock[field] = value;
  }
  return clock;
}

/**
 * docs/api.md says "configured clock of every server" without fixing the
 * container: accept a list of `{ server_id, ... }` or a map keyed by server id,
 * so the panel keeps working whichever the backend settles on.
 */
export function normaliseServerClocks(body: unknown): ServerClockConfig[] {
  if (Array.isArray(body)) {
    return body.map((item, index) => {
      const id =
        item && typeof item === 'object' && 'server_id' in item ? String(item.server_id) : `server-${index + 1}`;
      return clockOf(id, item);
    });
  }
  if (body && typeof body === 'object') {
    const entries = Object.entries(body as Record<string, unknown>);
    const list = entries.find(([, value]) => Array.isArray(value));
    if (list) return normaliseServerClocks(list[1]);
    return entries.map(([id, value]) => clockOf(id, value)).sort((a, b) => a.server_id.localeCompare(b.server_id));
  }
  return [];
}
