/**
 * Issue 13.1 on PGlite: the embedded engine cannot be stopped under a running
 * backend the way a server can, so the fault is the link. PGlite (through
 * pglite-socket) runs in this test process behind a TCP relay that is cut
 * and restored three times under write load; the backend runs in its own
 * process and reaches PGlite only through the relay. What it proves is the
 * pg-client side against PGlite: connections (and a transaction in flight)
 * dropped mid-statement, then reconnecting, with nothing acknowledged lost
 * or doubled and no transaction left open in the single backend.
 */
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/event-store/embedded/embedded-postgres';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy';
import { startBackendProcess, type BackendProcess } from './backend-process';
import {
  expectNothingLostOrDoubled,
  expectProcessUp,
  inspectAfterTheOutage,
  projectionCaughtUp,
  reportFigures,
  runOutageTrials,
  waitFor,
} from './outage-trials';

describe('the link to PGlite cut and restored three times under write load (backend in its own process)', () => {
  let pglite: EmbeddedPostgres;
  let proxy: TcpProxy;
  let backend: BackendProcess;

  beforeAll(async () => {
    pglite = await startEmbeddedPostgres({ maxConnections: 60, transport: 'tcp' }); // a TCP proxy sits in between
    const target = new URL(pglite.connectionString);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const throughProxy = new URL(pglite.connectionString);
    throughProxy.port = String(proxy.port);
    backend = await startBackendProcess({
      DATABASE_URL: throughProxy.toString(),
      MAX_SEATS: '40',
      CONFLICT_WINDOW_MS: '300',
    });
  }, 120_000);

  afterAll(async () => {
    await proxy?.start();
    await backend?.stop();
    await proxy?.stop();
    await pglite?.close();
  }, 60_000);

  it('503 while cut, the process up, writes back by themselves, nothing acknowledged lost or doubled', async () => {
    const run = await runOutageTrials({
      backend,
      fault: { takeDown: () => proxy.stop(), bringBack: () => proxy.start() },
      trials: 3,
      downForMs: 1500,
      label: 'pglitecut',
      seats: 40,
    });
    try {
      expect(await projectionCaughtUp(backend.baseUrl)).toBe(true);
      expect(run.live.ended()).toBeNull();
      expect(
        await waitFor(() => run.live.received.some((e) => e.event === 'change' && e.atMs > run.lastUpAtMs), 5000),
      ).toBe(true);
      const after = await inspectAfterTheOutage(pglite.connectionString, run.answers, 'pglitecut');
      reportFigures('PGlite link cut/restored ×3', run, after);
      expectNothingLostOrDoubled(after);
      expectProcessUp(backend, 'after the trials');
    } finally {
      run.live.close();
    }
  }, 240_000);
});
