import { EventStoreDBClient } from '@eventstore/db-client';
import { toEsdbConnectionString } from './esdb-connection-string';

describe('EventStoreDB connection strings', () => {
  it.each([
    ['kurrentdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['kurrentdb+discover://a:2113,b:2113?tls=false', 'esdb+discover://a:2113,b:2113?tls=false'],
    ['KurrentDB://host:2113', 'esdb://host:2113'],
    ['esdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
  ])('given %s, the client is given %s', (given, expected) => {
    expect(toEsdbConnectionString(given)).toBe(expected);
  });

  it('given a kurrentdb:// string, the client library accepts it (it refuses the raw scheme)', () => {
    expect(() => EventStoreDBClient.connectionString('kurrentdb://localhost:2113?tls=false')).toThrow();
    expect(() =>
      EventStoreDBClient.connectionString(toEsdbConnectionString('kurrentdb://localhost:2113?tls=false')),
    ).not.toThrow();
  });
});
