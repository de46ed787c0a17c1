/**
 * The seat-stream handler against a real event store: an assignment appends
 * without reading the seat stream it expects empty, and falls back to reading
 * it when the stream holds another decision (another authority settled the
 * seat, or an earlier answer was lost and the batch grew), so the stream never
 * holds two assignments.
 */
import { Pool } from 'pg';
import type { EventStore } from '../../event-store/event-store.port';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { testDatabaseTargets, type TestDatabase } from '../../testing/test-databases';
import type { AssignSeat, Loser, SeatHolder } from '../domain/seat-decider';
import { seatStreamId } from '../domain/streams';
import { SeatStreamCommand } from './seat-stream.command';
import { SeatStreamHandler } from './seat-stream.handler';

const holder = (name: string): SeatHolder => ({
  attemptId: `00000000-0000-4000-8000-${name.padStart(12, '0')}`,
  customerName: `customer ${name}`,
  serverId: 'server-a',
});
const loser = (name: string): Loser => ({ ...holder(name), localDecision: 'confirmed', reason: 'later' });

const assign = (seatId: number, winner: SeatHolder, losers: readonly Loser[] = []): SeatStreamCommand =>
  new SeatStreamCommand({
    type: 'AssignSeat',
    seatId,
    runId: null,
    winner,
    decidedBy: 'ntp_corrected',
    losers,
    consideredUpTo: 10n,
    windowMs: 1000,
    closesAtMs: 5000,
    candidateIds: [winner.attemptId],
  } satisfies AssignSeat);

describe.each(testDatabaseTargets())('seat-stream handler on $name', (target) => {
  let database: TestDatabase;
  let pool: Pool;
  let store: EventStore;
  let handler: SeatStreamHandler;
  let reads: jest.SpyInstance;

  beforeAll(async () => {
    database = await target.open();
    pool = new Pool({ connectionString: database.connectionString, max: 3 });
    const postgres = new PostgresEventStore({ pool, kind: database.kind });
    await postgres.migrate();
    store = postgres;
    handler = new SeatStreamHandler(store);
  });
  beforeEach(() => {
    reads = jest.spyOn(store, 'readStream');
  });
  afterEach(() => reads.mockRestore());
  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.dispose();
  });

  const storedTypes = async (seatId: number) =>
    (await store.readStream(seatStreamId(seatId, null, 1))).map((event) => [event.type, event.data['attemptId']]);

  it('assigns a seat whose stream is empty without reading the stream, revoking the confirmed losers', async () => {
    const result = await handler.execute(assign(1, holder('1'), [loser('2')]));
    expect(result).toEqual({ appended: 2 });
    expect(reads).not.toHaveBeenCalled();
    expect(await storedTypes(1)).toEqual([
      ['SeatAssigned', holder('1').attemptId],
      ['ReservationRevoked', holder('2').attemptId],
    ]);
  });

  it.each([
    ['that would revoke the first holder', 2, [loser('1')]],
    ['with no losers to revoke (not taken for a re-send of the first)', 5, []],
  ])(
    'a seat another authority assigned first, a rival %s: reads the stream, appends nothing, the first holder stays',
    async (_rival, seatId, losers) => {
      await handler.execute(assign(seatId, holder('1')));
      reads.mockClear();
      const result = await handler.execute(assign(seatId, holder('3'), losers));
      expect(result).toEqual({ appended: 0 });
      expect(reads).toHaveBeenCalledTimes(1);
      expect(await storedTypes(seatId)).toEqual([['SeatAssigned', holder('1').attemptId]]);
    },
  );

  it('the same assignment sent again (its answer lost) is an idempotent re-send: stored once, counted as appended', async () => {
    await handler.execute(assign(6, holder('1'), [loser('2')]));
    const again = await handler.execute(assign(6, holder('1'), [loser('2')]));
    expect(again).toEqual({ appended: 2 });
    expect(await storedTypes(6)).toEqual([
      ['SeatAssigned', holder('1').attemptId],
      ['ReservationRevoked', holder('2').attemptId],
    ]);
  });

  it('an assignment sent again with more losers (its first answer lost) appends nothing and does not fail', async () => {
    await handler.execute(assign(3, holder('1'), [loser('2')]));
    const again = await handler.execute(assign(3, holder('1'), [loser('2'), loser('4')]));
    expect(again).toEqual({ appended: 0 });
    expect(await storedTypes(3)).toEqual([
      ['SeatAssigned', holder('1').attemptId],
      ['ReservationRevoked', holder('2').attemptId],
    ]);
  });

  it('late attempts are revoked against the holder the stream has (read, not assumed)', async () => {
    await handler.execute(assign(4, holder('1')));
    reads.mockClear();
    const result = await handler.execute(
      new SeatStreamCommand({ type: 'RevokeLateAttempts', seatId: 4, runId: null, attempts: [loser('5')] }),
    );
    expect(result).toEqual({ appended: 1 });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await storedTypes(4)).toEqual([
      ['SeatAssigned', holder('1').attemptId],
      ['ReservationRevoked', holder('5').attemptId],
    ]);
  });
});
