// Payloads of GET /api/events/stream. The OpenAPI spec describes the endpoint
// only as text/event-stream, so these follow docs/api.md and the endpoint's
// description; parse functions check the shape instead of trusting it.

export type ChangedEntity = 'seat' | 'attempt' | 'conflict' | 'clock';
export const CHANGED_ENTITIES: readonly ChangedEntity[] = ['seat', 'attempt', 'conflict', 'clock'];

export interface ChangeEvent {
  entity: ChangedEntity;
  id: string;
  run_id: string | null;
  position: string;
}

export interface LagEvent {
  head_position: string;
  projected_position: string;
  caught_up: boolean;
}

function objectOf(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function parseChange(data: string): ChangeEvent | null {
  const value = objectOf(data);
  const entity = value?.['entity'];
  if (!value || !CHANGED_ENTITIES.includes(entity as ChangedEntity)) return null;
  return {
    entity: entity as ChangedEntity,
    id: String(value['id'] ?? ''),
    run_id: typeof value['run_id'] === 'string' ? value['run_id'] : null,
    position: String(value['position'] ?? ''),
  };
}

export function parseLag(data: string): LagEvent | null {
  const value = objectOf(data);
  if (!value || typeof value['caught_up'] !== 'boolean') return null;
  return {
    head_position: String(value['head_position'] ?? ''),
    projected_position: String(value['projected_position'] ?? ''),
    caught_up: value['caught_up'],
  };
}
