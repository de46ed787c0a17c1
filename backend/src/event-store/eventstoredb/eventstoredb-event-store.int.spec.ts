/**
 * The shared EventStore contract, run against the EventStoreDB adapter:
 * - always on the in-process gRPC test double of an EventStoreDB server;
 * - on a real server when EVENTSTORE_CONNECTION_STRING is set
 *   (`docker compose up -d eventstore`, then
 *   `EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false make test`).
 */
import { EsdbServerDouble } from '../../testing/esdb-double';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

describeEventStoreContract('EventStoreDB adapter on the in-process gRPC server double', async () => {
  const double = new EsdbServerDouble();
  const { connectionString } = await double.start();
  const store = EventStoreDbEventStore.fromConnectionString(connectionString);
  return {
    store,
    dispose: async () => {
      await store.close();
      await double.stop();
    },
  };
});

const realServer = process.env['EVENTSTORE_CONNECTION_STRING'];
if (realServer) {
  describeEventStoreContract(
    `EventStoreDB adapter on ${realServer}`,
    async () => {
      const store = EventStoreDbEventStore.fromConnectionString(realServer);
      return { store, dispose: () => store.close() };
    },
    { testTimeoutMs: 30_000 },
  );
} else {
  const reason =
    'EVENTSTORE_CONNECTION_STRING is not set: the EventStoreDB contract runs on the in-process double only. ' +
    'To run it on a real server: docker compose up -d eventstore, then ' +
    'EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false make test';
  console.warn(reason);
  describe.skip('EventStore contract: EventStoreDB adapter on a real server', () => {
    it.skip(reason, () => undefined);
  });
}
