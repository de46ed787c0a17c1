/** Turns a stored event back into a typed SeatEvent, or null for other event types. */
import type { JsonObject } from '../../event-store/event-store.port';
import { storableErrorBoundMs } from '../domain/clock-reading';
import { isSeatEventType, type ReservationAttempted, type SeatEvent } from '../domain/seat-events';

/**
 * Attempts recorded before bounds were made storable carry `null` (JSON's
 * rendering of Infinity) for a never-synchronised server: read it as unbounded.
 */
const withUnboundedError = (event: ReservationAttempted): ReservationAttempted => {
  const bound = event.data.clock.errorBoundMs as number | null;
  if (bound !== null) return event;
  return {
    ...event,
    data: { ...event.data, clock: { ...event.data.clock, errorBoundMs: storableErrorBoundMs(bound) } },
  };
};

export const decodeSeatEvent = (type: string, data: JsonObject): SeatEvent | null => {
  if (!isSeatEventType(type)) return null;
  // The log is written only by this domain's deciders, so the shape is trusted once the type is known.
  const event = { type, data } as unknown as SeatEvent;
  return event.type === 'ReservationAttempted' ? withUnboundedError(event) : event;
};

export const encodeSeatEventData = (event: SeatEvent): JsonObject => event.data as unknown as JsonObject;
