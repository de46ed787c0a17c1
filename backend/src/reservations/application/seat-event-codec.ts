/** Turns a stored event back into a typed SeatEvent, or null for other event types. */
import type { JsonObject } from '../../event-store/event-store.port';
import { isSeatEventType, type SeatEvent } from '../domain/seat-events';

export const decodeSeatEvent = (type: string, data: JsonObject): SeatEvent | null =>
  // The log is written only by this domain's deciders, so the shape is trusted once the type is known.
  isSeatEventType(type) ? ({ type, data } as unknown as SeatEvent) : null;

export const encodeSeatEventData = (event: SeatEvent): JsonObject => event.data as unknown as JsonObject;
