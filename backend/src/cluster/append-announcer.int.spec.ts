/**
 * Against the real PostgreSQL server (PGlite's socket carries no NOTIFY): a
 * node's appends are heard by another node's listener, coalesced.
 */
import { Pool } from 'pg';
import { firstValueFrom, timeout } from 'rxjs';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store';
import { openThrowawayDatabase, type TestDatabase } from '../testing/test-databases';
import { AppendAnnouncer, APPEND_CHANNEL } from './append-announcer';
import { ChangeNotificationListener } from './change-notification-listener';

const ADMIN_URL = process.env['TEST_DATABASE_URL'];
if (!ADMIN_URL)
  console.log('append announcement tests skipped: set TEST_DATABASE_URL (NOTIFY needs a PostgreSQL server)');
const describeWithServer = ADMIN_URL ? describe : describe.skip;

describeWithServer('append announcements between nodes (PostgreSQL server)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let listener: ChangeNotificationListener;
  /** For each NOTIFY sent: how many appends had committed when it started. */
  let sentAfterCommits: number[];

  beforeEach(async () => {
    database = await openThrowawayDatabase(ADMIN_URL!, 'lab_announce');
    pool = new Pool({ connectionString: database.connectionString, max: 4 });
    sentAfterCommits = [];
    let commits = 0;
    const announcer = new AppendAnnouncer(() => {
      sentAfterCommits.push(commits);
      return pool.query('SELECT pg_notify($1, NULL)', [APPEND_CHANNEL]);
    });
    const afterAppend = (): void => {
      commits += 1;
      announcer.announce();
    };
    store = new PostgresEventStore({ pool, kind: 'postgres', afterAppend });
    await store.migrate();
    listener = new ChangeNotificationListener(database.connectionString);
    await listener.start();
  });

  afterEach(async () => {
    await listener.stop();
    await store.close();
    await pool.end();
    await database.dispose();
  });

  const attempt = (index: number) => ({
    id: crypto.randomUUID(),
    type: 'ReservationAttempted',
    data: { index },
  });

  it('given another node listening, when this node appends, then that node hears of it', async () => {
    const heard = firstValueFrom(listener.appended$.pipe(timeout(2000)));

    await store.append('seat-1', [attempt(0)]);

    await expect(heard).resolves.toBeUndefined();
  });

  it('given 50 concurrent appends, when they commit, then fewer NOTIFYs than appends go out, the last one after the last commit', async () => {
    let heard = 0;
    const counting = listener.appended$.subscribe(() => (heard += 1));

    await Promise.all(Array.from({ length: 50 }, (_, index) => store.append(`seat-${index}`, [attempt(index)])));
    await new Promise((resolve) => setTimeout(resolve, 300));
    counting.unsubscribe();

    expect(sentAfterCommits.length).toBeLessThan(50);
    expect(sentAfterCommits.at(-1)).toBe(50);
    expect(heard).toBe(sentAfterCommits.length);
  });
});
