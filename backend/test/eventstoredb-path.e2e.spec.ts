/**
 * The whole app on the EventStoreDB path: EVENTSTORE_CONNECTION_STRING points at
 * the in-process gRPC double of the server (src/testing/esdb-double), so global
 * order comes from $all, checkpoints are commit positions and the seat stream's
 * expected revision guards the assignment, exactly as with a real server.
 */
import { EsdbServerDouble } from '../src/testing/esdb-double';
import { describeDriftInversionFlow } from './flows/drift-inversion.flow';

describeDriftInversionFlow('EventStoreDB (gRPC double)', async () => {
  const double = new EsdbServerDouble();
  const { connectionString } = await double.start();
  return { settings: { EVENTSTORE_CONNECTION_STRING: connectionString }, dispose: () => double.stop() };
});
