/** Whether the stores answer now: the one probe /health and /health/ready share. */
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE, READ_MODEL_DATA_SOURCE } from '../reservations/application/tokens';
import { answersWithin } from '../shared/answers-within';

export interface StoresReachable {
  readonly eventStore: boolean;
  readonly readModel: boolean;
}

const READ_MODEL_PING_TIMEOUT_MS = 1500;

@Injectable()
export class StoreProbe {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  /** Bounded and never throws: ping() is, and the read model's probe gets the same guarantee. */
  async reachable(): Promise<StoresReachable> {
    const [eventStore, readModel] = await Promise.all([
      this.store.ping(),
      answersWithin(() => this.dataSource.query('SELECT 1'), READ_MODEL_PING_TIMEOUT_MS),
    ]);
    return { eventStore, readModel };
  }
}
