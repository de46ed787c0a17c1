/** Loads a seat's decision state from its stream and appends the decider's events. */
import { randomUUID } from 'node:crypto';
import type { EventStore, ExpectedRevision } from '../../event-store/event-store.port';
import { decodeSeatEvent, encodeSeatEventData } from './seat-event-codec';
import { foldSeat, type SeatState } from '../domain/seat-decider';
import type { SeatEvent } from '../domain/seat-events';
import { seatStreamId } from '../domain/streams';

export interface LoadedSeat {
  readonly state: SeatState;
  readonly expectedRevision: ExpectedRevision;
}

export const loadSeat = async (store: EventStore, seatId: number, runId: string | null): Promise<LoadedSeat> => {
  const recorded = await store.readStream(seatStreamId(seatId, runId));
  const events = recorded.flatMap((event) => decodeSeatEvent(event.type, event.data) ?? []);
  const last = recorded[recorded.length - 1];
  return { state: foldSeat(seatId, events), expectedRevision: last ? last.revision : 'no_stream' };
};

export const toStoredEvents = (events: readonly SeatEvent[], idOf: (event: SeatEvent) => string = () => randomUUID()) =>
  events.map((event) => ({ id: idOf(event), type: event.type, data: encodeSeatEventData(event) }));
