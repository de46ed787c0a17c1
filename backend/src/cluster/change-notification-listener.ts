/**
 * LISTEN on a connection of its own. When the connection drops it is opened
 * again; what was committed meanwhile was not heard, so a reset goes out
 * (consoles refetch) and the runner is nudged to read the checkpoint.
 */
import { Client } from 'pg';
import { Subject, type Observable } from 'rxjs';
import { resetMessage } from '../live/batch-messages';
import { APPEND_CHANNEL } from './append-announcer';
import { CHANGE_CHANNEL, decodeNotification, type ChangeNotification } from './change-notifications';

const RECONNECT_AFTER_MS = 1000;

export class ChangeNotificationListener {
  private readonly heard = new Subject<ChangeNotification>();
  private readonly appendsHeard = new Subject<void>();
  private client: Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private everConnected = false;

  constructor(
    private readonly connectionString: string,
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {}

  get notifications$(): Observable<ChangeNotification> {
    return this.heard.asObservable();
  }

  /** Some node appended to the shared log (the projecting node reads it at once). */
  get appended$(): Observable<void> {
    return this.appendsHeard.asObservable();
  }

  /** Resolves once listening (or after the first failure, retried in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    this.heard.complete();
    this.appendsHeard.complete();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.connectionString, connectionTimeoutMillis: 5000 });
    client.on('notification', (message) => {
      if (message.channel === APPEND_CHANNEL) this.appendsHeard.next();
      if (message.channel !== CHANGE_CHANNEL) return;
      const notification = decodeNotification(message.payload);
      if (notification) this.heard.next(notification);
    });
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'connection ended'));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${APPEND_CHANNEL}`);
      if (this.everConnected) this.heard.next({ position: 0n, messages: [resetMessage(0n)] });
      this.everConnected = true;
    } catch (error) {
      this.lost(client, error instanceof Error ? error.message : String(error));
    }
  }

  private lost(client: Client, reason: string): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.onProblem(`live change notifications: ${reason}; listening again in ${RECONNECT_AFTER_MS} ms`);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_AFTER_MS);
  }
}
