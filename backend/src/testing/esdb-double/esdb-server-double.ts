/**
 * TEST DOUBLE of an EventStoreDB server: a real gRPC server on loopback that
 * speaks the subset of the EventStoreDB protocol `@eventstore/db-client` uses
 * for appends, reads and catch-up subscriptions, keeping events in memory.
 *
 * It exists so the EventStoreDB adapter's contract tests run on machines
 * without Docker. It is not EventStoreDB: see docs/eventstoredb-double.md for
 * what it models and what it leaves out. Never use it outside tests.
 */
import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { InMemoryLog, type StoredEvent } from './in-memory-log';
import { serverFeaturesService, type ServerFeaturesMode } from './server-features-service';
import { streamsService } from './streams-service';

export interface EsdbServerDoubleOptions {
  /** How ServerFeatures answers (default 'list'). */
  readonly serverFeatures?: ServerFeaturesMode;
  /**
   * Write the system events a fresh server starts with (`$users`, `$user-admin`)
   * so clients must cope with `$`-events in `$all` (default true).
   */
  readonly seedSystemEvents?: boolean;
}

export interface RunningEsdbServerDouble {
  /** `esdb://127.0.0.1:<port>?tls=false`: a single node, so the client does no gossip. */
  readonly connectionString: string;
  readonly port: number;
}

export class EsdbServerDouble {
  private readonly log = new InMemoryLog();
  private server: Server | undefined;

  constructor(private readonly options: EsdbServerDoubleOptions = {}) {
    if (options.seedSystemEvents ?? true) this.seedSystemEvents();
  }

  /** Listens on an ephemeral loopback port. */
  async start(): Promise<RunningEsdbServerDouble> {
    if (this.server) throw new Error('EsdbServerDouble already started');
    const server = new Server();
    server.addService(StreamsService, streamsService(this.log));
    server.addService(ServerFeaturesService, serverFeaturesService(this.options.serverFeatures ?? 'list'));
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      ),
    );
    this.server = server;
    return { connectionString: `esdb://127.0.0.1:${port}?tls=false`, port };
  }

  /** Everything in the log, in order (tests count what a cluster appended). */
  events(): readonly StoredEvent[] {
    return this.log.allEvents();
  }

  /** Stops at once, cutting open subscriptions (their clients see UNAVAILABLE/CANCELLED). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.forceShutdown();
  }

  /**
   * Appends a system event (`$`-prefixed stream and type), as a real server does
   * on its own (stats, projections), so tests can check a client skips them.
   */
  appendSystemEvent(streamName: `$${string}`, type: `$${string}`): StoredEvent {
    this.log.append(streamName, { kind: 'any' }, [
      {
        id: randomUUID(),
        type,
        contentType: 'application/json',
        data: Buffer.from('{}'),
        customMetadata: new Uint8Array(),
      },
    ]);
    const events = this.log.allEvents();
    return events[events.length - 1];
  }

  /** Everything in the double's global log, system events included, for assertions. */
  allEvents(): readonly StoredEvent[] {
    return this.log.allEvents();
  }

  private seedSystemEvents(): void {
    this.appendSystemEvent('$user-admin', '$user');
    this.appendSystemEvent('$users', '$UserCreated');
  }
}
