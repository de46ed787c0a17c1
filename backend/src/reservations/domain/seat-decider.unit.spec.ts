import { deciderSpecification } from '../../testing/decider-specification';
import type { ClockReading } from './clock-reading';
import { decide, evolve, initialSeatState, type SeatCommand, type SeatState } from './seat-decider';
import type { SeatEvent } from './seat-events';

const SEAT = 7;
const t0 = 1_700_000_000_000;
const spec = deciderSpecification<SeatCommand, SeatEvent, SeatState>({
  decide,
  evolve,
  initialState: () => initialSeatState(SEAT),
});

const clockOf = (serverId: string, referenceTimeMs: number, offsetMs = 0): ClockReading => ({
  serverId,
  serverTimeMs: referenceTimeMs + offsetMs,
  referenceTimeMs,
  estimatedOffsetMs: offsetMs,
  errorBoundMs: 0,
  ntpCorrectedTimeMs: referenceTimeMs,
  hlc: `${referenceTimeMs}`,
});

const attempt = (attemptId: string, customerName: string, serverId: string, at: number): SeatCommand => ({
  type: 'AttemptReservation',
  attemptId,
  seatId: SEAT,
  customerName,
  clock: clockOf(serverId, at),
  runId: null,
});

const attempted = (
  attemptId: string,
  customerName: string,
  serverId: string,
  at: number,
  localDecision: 'confirmed' | 'rejected',
): SeatEvent => ({
  type: 'ReservationAttempted',
  data: { attemptId, seatId: SEAT, customerName, localDecision, clock: clockOf(serverId, at), runId: null },
});

const assigned = (attemptId: string, customerName: string, serverId: string): SeatEvent => ({
  type: 'SeatAssigned',
  data: { seatId: SEAT, attemptId, customerName, serverId, decidedBy: 'ntp_corrected', runId: null },
});

const assign = (
  winner: { attemptId: string; customerName: string; serverId: string },
  losers: { attemptId: string; customerName: string; serverId: string; localDecision: 'confirmed' | 'rejected' }[],
): SeatCommand => ({ type: 'AssignSeat', seatId: SEAT, winner, decidedBy: 'ntp_corrected', losers, runId: null });

describe('seat decider', () => {
  describe('AttemptReservation', () => {
    it('confirms locally when the server sees the seat free', () => {
      spec
        .given([])
        .when(attempt('a1', 'Ana', 'server-1', t0))
        .then([attempted('a1', 'Ana', 'server-1', t0, 'confirmed')]);
    });

    it('records a second attempt on an unresolved seat: servers do not coordinate', () => {
      spec
        .given([attempted('a1', 'Ana', 'server-1', t0, 'confirmed')])
        .when(attempt('b1', 'Bob', 'server-2', t0 + 1000))
        .then([attempted('b1', 'Bob', 'server-2', t0 + 1000, 'confirmed')]);
    });

    it('rejects locally once the server sees the seat assigned, and still records the attempt', () => {
      spec
        .given([attempted('a1', 'Ana', 'server-1', t0, 'confirmed'), assigned('a1', 'Ana', 'server-1')])
        .when(attempt('b1', 'Bob', 'server-2', t0 + 5000))
        .then([attempted('b1', 'Bob', 'server-2', t0 + 5000, 'rejected')]);
    });
  });

  describe('AssignSeat', () => {
    it('assigns the winner and revokes the losers their server had confirmed', () => {
      const events = decide(
        assign({ attemptId: 'a1', customerName: 'Ana', serverId: 'server-1' }, [
          { attemptId: 'b1', customerName: 'Bob', serverId: 'server-2', localDecision: 'confirmed' },
          { attemptId: 'c1', customerName: 'Cy', serverId: 'server-3', localDecision: 'rejected' },
        ]),
        initialSeatState(SEAT),
      );
      expect(events.map((event) => event.type)).toEqual(['SeatAssigned', 'ReservationRevoked']);
      expect(events[0]).toEqual(assigned('a1', 'Ana', 'server-1'));
      expect(events[1]).toMatchObject({
        type: 'ReservationRevoked',
        data: { attemptId: 'b1', winnerAttemptId: 'a1', serverId: 'server-2' },
      });
      expect((events[1]!.data as { reason: string }).reason).toContain('Ana');
    });

    it('assigns nothing a second time: the resolution is idempotent', () => {
      spec
        .given([assigned('a1', 'Ana', 'server-1')])
        .when(assign({ attemptId: 'b1', customerName: 'Bob', serverId: 'server-2' }, []))
        .then([]);
    });

    it('never revokes the winner even if it is listed among the losers', () => {
      spec
        .given([])
        .when(
          assign({ attemptId: 'a1', customerName: 'Ana', serverId: 'server-1' }, [
            { attemptId: 'a1', customerName: 'Ana', serverId: 'server-1', localDecision: 'confirmed' },
          ]),
        )
        .then([assigned('a1', 'Ana', 'server-1')]);
    });

    it('refuses a command addressed to another seat', () => {
      spec
        .given([])
        .when({
          ...assign({ attemptId: 'a1', customerName: 'Ana', serverId: 'server-1' }, []),
          seatId: 8,
        } as SeatCommand)
        .thenThrows(/seat 8 sent to seat 7/);
    });
  });
});
