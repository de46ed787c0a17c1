/** Facts about the booking servers' clocks, as stored in the log (stream `clock-<serverId>`). */
import type { ClockConfig } from '../domain/clock-model';
import type { NtpTimestamps } from '../domain/ntp-exchange';
import type { ClockStepDetected } from '../domain/step-detection';
import type { SynchronizedState } from '../domain/sync-state';

export const CLOCK_STREAM_PREFIX = 'clock-';
export const clockStreamId = (serverId: string): string => `${CLOCK_STREAM_PREFIX}${serverId}`;

export interface ClockConfigured {
  readonly type: 'ClockConfigured';
  readonly data: {
    readonly serverId: string;
    readonly config: ClockConfig;
    /** 'scenario' (with its name and seed) or 'manual' (an operator's change). */
    readonly source: 'scenario' | 'manual';
    readonly scenario: string | null;
    readonly seed: number | null;
    readonly referenceTimeMs: number;
  };
}

export interface ClockSynchronized {
  readonly type: 'ClockSynchronized';
  readonly data: {
    readonly serverId: string;
    readonly timestamps: NtpTimestamps;
    /** θ as RFC 5905 defines it (reference − server); the estimate is −θ. */
    readonly thetaMs: number;
    /** δ, the round-trip network delay. */
    readonly delayMs: number;
    readonly errorBoundMs: number;
    /** null when the server had never synchronised before. */
    readonly estimatedOffsetBeforeMs: number | null;
    readonly estimatedOffsetAfterMs: number;
    /** What the lab knows the offset really was at the exchange (server − reference). */
    readonly trueOffsetMs: number;
    readonly referenceTimeMs: number;
    readonly state: SynchronizedState;
    /** The server's sync count after this one (attempts stamped from now on carry it). */
    readonly syncEpoch?: number;
  };
}

export type { ClockStepDetected } from '../domain/step-detection';

export type ClockEvent = ClockConfigured | ClockSynchronized | ClockStepDetected;

export const CLOCK_EVENT_TYPES: readonly ClockEvent['type'][] = [
  'ClockConfigured',
  'ClockSynchronized',
  'ClockStepDetected',
];

export const isClockEventType = (type: string): type is ClockEvent['type'] =>
  (CLOCK_EVENT_TYPES as readonly string[]).includes(type);
