/**
 * The live stream's input: read-model changes, as one hot feed that every
 * open stream shares. A source is where changes come from; today the only
 * one is this process's projection runner. A cluster (several backend
 * processes, one projection runner active) adds a cross-process source, e.g.
 * LISTEN/NOTIFY on a PostgreSQL server or a tail of the log's checkpoint
 * table, and every node's stream then delivers every change.
 */
import type { Observable } from 'rxjs';

export interface ChangeMessage {
  readonly type: 'change';
  readonly data: { readonly entity: string; readonly id: string; readonly run_id: string; readonly position: string };
}

/** More changed than is sent one by one (a big batch, or a rebuilt model swapped in): refetch. */
export interface ResetMessage {
  readonly type: 'reset';
  readonly data: { readonly position: string };
}

export interface LagMessage {
  readonly type: 'lag';
  readonly data: {
    readonly head_position: string | null;
    readonly projected_position: string;
    readonly caught_up: boolean;
    readonly store_unreachable?: true;
  };
}

export type FeedMessage = ChangeMessage | ResetMessage | LagMessage;

export interface ChangeFeedSource {
  /**
   * Hot, one array per committed batch (or swap), so a batch's changes go to
   * a client in one write. Subscribing starts nothing per subscriber.
   */
  readonly changes$: Observable<readonly (ChangeMessage | ResetMessage)[]>;
  /** The projection's progress; the last one is replayed to a new subscriber. */
  readonly lag$: Observable<LagMessage>;
}

export const CHANGE_FEED_SOURCE = Symbol('CHANGE_FEED_SOURCE');
