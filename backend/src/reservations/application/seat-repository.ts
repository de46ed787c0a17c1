/** Loads a stream's decision state and turns decider events into events to append. */
import type { EventStore, EventToAppend, ExpectedRevision } from '../../event-store/event-store.port';
import { evolveAttempt, initialAttemptState, type AttemptState } from '../domain/attempt-decider';
import { foldSeat, type SeatState } from '../domain/seat-decider';
import type { SeatEvent, SeatStreamEvent } from '../domain/seat-events';
import { attemptStreamId, seatStreamId } from '../domain/streams';
import { decodeSeatEvent, encodeSeatEventData } from './seat-event-codec';

export interface Loaded<State> {
  readonly state: State;
  readonly expectedRevision: ExpectedRevision;
}

export const loadSeat = async (
  store: EventStore,
  seatId: number,
  runId: string | null,
  session = 1,
): Promise<Loaded<SeatState>> => {
  const recorded = await store.readStream(seatStreamId(seatId, runId, session));
  const events = recorded.flatMap((event): SeatStreamEvent[] => {
    const decoded = decodeSeatEvent(event.type, event.data);
    return decoded && decoded.type !== 'ReservationAttempted' ? [decoded] : [];
  });
  const last = recorded[recorded.length - 1];
  return { state: foldSeat(seatId, events), expectedRevision: last ? last.revision : 'no_stream' };
};

export const loadAttempt = async (
  store: EventStore,
  attemptId: string,
): Promise<Loaded<AttemptState> & { position: bigint | null }> => {
  const recorded = await store.readStream(attemptStreamId(attemptId));
  let state = initialAttemptState();
  for (const event of recorded) {
    const decoded = decodeSeatEvent(event.type, event.data);
    if (decoded?.type === 'ReservationAttempted') state = evolveAttempt(state, decoded);
  }
  const last = recorded[recorded.length - 1];
  return { state, expectedRevision: last ? last.revision : 'no_stream', position: last?.position ?? null };
};

export const toStoredEvents = (events: readonly SeatEvent[], idOf: (event: SeatEvent) => string): EventToAppend[] =>
  events.map((event) => ({ id: idOf(event), type: event.type, data: encodeSeatEventData(event) }));
