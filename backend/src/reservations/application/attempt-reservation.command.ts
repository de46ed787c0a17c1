import { Command } from '@nestjs/cqrs';

export interface AttemptReservationResult {
  readonly attemptId: string;
  readonly seatId: number;
  readonly customerName: string;
  readonly serverId: string;
  readonly localDecision: 'confirmed' | 'rejected';
  readonly serverTimeMs: number;
  readonly referenceTimeMs: number;
  readonly ntpCorrectedTimeMs: number;
  readonly errorBoundMs: number;
  readonly position: bigint;
}

export class AttemptReservationCommand extends Command<AttemptReservationResult> {
  constructor(
    readonly seatId: number,
    readonly customerName: string,
    readonly serverId: string,
    readonly runId: string | null = null,
  ) {
    super();
  }
}
