/**
 * The projection lease as a PostgreSQL session advisory lock on a connection
 * of its own. The server releases it the moment that connection ends, so a
 * node killed with -9 hands over as soon as another node asks (within a
 * second: followers ask that often).
 */
import { Client } from 'pg';
import type { ProjectionLease } from '../read-model/projection-lease';

export class AdvisoryLockLease implements ProjectionLease {
  private client: Client | null = null;
  private holding = false;

  constructor(
    private readonly connectionString: string,
    private readonly lockKey: number,
    private readonly onChange: (held: boolean, reason: string) => void = () => undefined,
  ) {}

  get held(): boolean {
    return this.holding;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.holding) return true;
    try {
      const client = await this.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        this.lockKey,
      ]);
      if (rows[0]?.locked === true && this.client === client) {
        this.holding = true;
        this.onChange(true, 'acquired');
      }
    } catch {
      // The database is unreachable: not held; asked again later.
      this.drop('connection failed');
    }
    return this.holding;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.holding = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.connectionString, connectionTimeoutMillis: 5000 });
    // The lock lives as long as this session: losing it loses the lease.
    client.on('error', () => this.drop('connection lost'));
    client.on('end', () => this.drop('connection ended'));
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      if (this.client === client) this.client = null;
      throw error;
    }
    return client;
  }

  private drop(reason: string): void {
    const client = this.client;
    this.client = null;
    if (this.holding) {
      this.holding = false;
      this.onChange(false, reason);
    }
    void client?.end().catch(() => undefined);
  }
}
