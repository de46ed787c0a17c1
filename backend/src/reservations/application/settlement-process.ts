/**
 * Runs the settlement workflow (domain/settlement) for the live lab's seats.
 * It feeds the workflow what this process reads of the log (the projection
 * runner's batches, after they commit), delivers "time passed" when a seat's
 * settle time comes (a timer set for exactly then, no polling), together with
 * the log's head at that moment, and executes the commands it returns.
 *
 * On start it takes the workflow's state from the read model and the
 * runner's checkpoint, read in one snapshot, then follows the batches after
 * that checkpoint. A rebuild runs beside the live model and swaps in a model
 * equal to it (read-model/projection-runner.ts), so the workflow goes on.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/environment';
import type { EventStore, RecordedEvent } from '../../event-store/event-store.port';
import type { ProjectedBatch, ProjectionRunner } from '../../read-model/projection-runner';
import { attemptFactsOf } from '../domain/attempt-facts';
import { decodeLabSessionStarted } from '../domain/lab-session';
import {
  evolveSettlement,
  initialSettlementState,
  stepSettlement,
  type SeatSettlementState,
  type SettlementCommand,
  type SettlementInput,
  type SettlementRules,
} from '../domain/settlement/settlement-workflow';
import { decodeSeatEvent } from './seat-event-codec';
import { SeatStreamCommand } from './seat-stream.command';
import type { ReferenceTime } from './reference-time';
import { SettlementAgenda } from './settlement-agenda';
import { loadSettlementStates } from './settlement-bootstrap';
import { EVENT_STORE, PROJECTION_RUNNER, READ_MODEL_DATA_SOURCE, REFERENCE_CLOCK } from './tokens';

/** After a failed append (the store is down), try again this much later. */
const RETRY_AFTER_MS = 1000;

@Injectable()
export class SettlementProcess implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SettlementProcess.name);
  private readonly rules: SettlementRules;
  private seats = new Map<number, SeatSettlementState>();
  private readonly agenda = new SettlementAgenda();
  /** Every live seat event up to here has been given to the workflow. */
  private readUpTo = 0n;
  /** The live session the seats belong to (a reset starts the next: lab-session.ts). */
  private session = 1;
  private subscription: Subscription | null = null;
  private leadership: Subscription | null = null;
  /**
   * Only the node that projects sends settlement commands; the others follow
   * the same log so their booking servers' view is right, and take over when
   * the lease moves to them.
   */
  private acting = false;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = Number.POSITIVE_INFINITY;
  /** One thing at a time: batches, ticks and failures are applied in order. */
  private work: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REFERENCE_CLOCK) private readonly clock: ReferenceTime,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly commandBus: CommandBus,
  ) {
    this.rules = { windowMs: config.CONFLICT_WINDOW_MS, graceMs: config.SETTLEMENT_GRACE_MS };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.acting = this.runner.isLeading;
    this.subscription = this.runner.projected$.subscribe((batch) => this.enqueue(() => this.onBatch(batch)));
    this.enqueue(() => this.bootstrap());
    this.leadership = this.runner.leading$.subscribe((leading) => this.enqueue(() => this.onLeadership(leading)));
    await this.work;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.leadership?.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
  }

  private async onLeadership(leading: boolean): Promise<void> {
    if (leading === this.acting) return;
    this.acting = leading;
    if (!leading) {
      this.reschedule();
      return;
    }
    this.logger.log('this node now settles the seats');
    // What the previous node left: revocations pending, seats past their settle time.
    this.deliverToAll({ type: 'LogRead', upTo: this.readUpTo });
    await this.onTimer();
  }

  /** Resolves once everything queued so far has been handled and the commands sent have answered (tests). */
  async idle(): Promise<void> {
    do {
      await this.work;
      await Promise.allSettled([...this.inFlight]);
    } while (this.inFlight.size > 0);
  }

  /** "Time passed": what the timer delivers; tests on a virtual clock deliver it themselves. */
  async checkDue(): Promise<void> {
    this.enqueue(() => this.onTimer());
    await this.work;
  }

  /**
   * The booking servers' own view of a live seat: assigned as far as this node
   * has read the log. It may lag the log by a batch, as any local view may;
   * the authority's decision, not this view, says who holds the seat.
   */
  seatLooksTaken(seatId: number): boolean {
    return this.seats.get(seatId)?.status === 'settled';
  }

  /** Live seats the workflow still waits on (for /health and tests). */
  get openSeats(): number {
    return this.agenda.openCount;
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => {
      this.logger.warn(`settlement: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async bootstrap(): Promise<void> {
    const { states, position, session } = await loadSettlementStates(this.dataSource, this.rules);
    this.replaceSeats(states);
    this.session = session;
    this.readUpTo = position;
    this.deliverToAll({ type: 'LogRead', upTo: position });
    this.reschedule();
  }

  private async onBatch(batch: ProjectedBatch): Promise<void> {
    // A rebuild runs beside the live model and swaps in an equal one: nothing to redo here.
    if (batch.replaying) return;
    const seenAtMs = this.clock.nowMs();
    const touched = new Set<number>();
    for (const recorded of batch.recorded) {
      if (recorded.position <= this.readUpTo) continue;
      const started = decodeLabSessionStarted(recorded.type, recorded.data);
      if (started) {
        this.startSession(started.data.sessionNumber, recorded.position, touched);
        continue;
      }
      const fed = this.inputOf(recorded, seenAtMs);
      if (fed) {
        this.deliver(fed.seatId, fed.input);
        touched.add(fed.seatId);
      }
    }
    if (batch.position > this.readUpTo) this.readUpTo = batch.position;
    for (const seatId of new Set([...touched, ...this.agenda.waitingForLog])) {
      this.deliver(seatId, { type: 'LogRead', upTo: this.readUpTo });
    }
    this.reschedule();
  }

  /**
   * A reset: the seats of the ended session are left as the log has them
   * (one still open stays unsettled there; its decision, if already sent,
   * lands in that session's stream) and the new session starts empty.
   */
  private startSession(sessionNumber: number, position: bigint, touched: Set<number>): void {
    for (const seatId of touched) this.deliver(seatId, { type: 'LogRead', upTo: position - 1n });
    touched.clear();
    const open = this.openSeats;
    if (open > 0) this.logger.warn(`lab reset: ${open} seat(s) of the ended session stay unsettled`);
    this.replaceSeats(new Map());
    this.session = sessionNumber;
  }

  private inputOf(recorded: RecordedEvent, seenAtMs: number): { seatId: number; input: SettlementInput } | null {
    const event = decodeSeatEvent(recorded.type, recorded.data);
    if (!event || event.data.runId) return null;
    switch (event.type) {
      case 'ReservationAttempted':
        return {
          seatId: event.data.seatId,
          input: { type: 'AttemptRecorded', attempt: attemptFactsOf(event.data, recorded.position), seenAtMs },
        };
      case 'SeatAssigned':
        return {
          seatId: event.data.seatId,
          input: {
            type: 'SeatAssigned',
            holder: {
              attemptId: event.data.attemptId,
              customerName: event.data.customerName,
              serverId: event.data.serverId,
            },
            consideredUpTo: event.data.consideredUpTo ? BigInt(event.data.consideredUpTo) : null,
            position: recorded.position,
          },
        };
      case 'ReservationRevoked':
        return { seatId: event.data.seatId, input: { type: 'ReservationRevoked', attemptId: event.data.attemptId } };
    }
  }

  private async onTimer(): Promise<void> {
    const nowMs = this.clock.nowMs();
    const due = this.agenda.dueBy(nowMs);
    if (due.length > 0) {
      // Whatever is in the log now was appended before the clock passed these seats' settle times.
      const logHead = await this.store.headPosition();
      for (const seatId of due) {
        this.deliver(seatId, { type: 'TimePassed', nowMs, logHead });
        this.deliver(seatId, { type: 'LogRead', upTo: this.readUpTo });
      }
    }
    this.reschedule();
  }

  private deliverToAll(input: SettlementInput): void {
    for (const seatId of [...this.seats.keys()]) this.deliver(seatId, input);
  }

  private deliver(seatId: number, input: SettlementInput): void {
    const state = this.seats.get(seatId) ?? initialSettlementState(seatId, null, this.rules);
    if (!this.acting) {
      // Following: the log's facts only; the clock and the commands belong to the node that settles.
      if (input.type !== 'TimePassed') this.setSeat(seatId, evolveSettlement(state, input));
      return;
    }
    const step = stepSettlement(state, input);
    this.setSeat(seatId, step.state);
    for (const command of step.commands) this.execute(seatId, command);
  }

  private setSeat(seatId: number, state: SeatSettlementState): void {
    this.seats.set(seatId, state);
    this.agenda.track(seatId, state);
  }

  private replaceSeats(states: Map<number, SeatSettlementState>): void {
    this.seats = states;
    this.agenda.clear();
    for (const [seatId, state] of states) this.agenda.track(seatId, state);
  }

  private execute(seatId: number, command: SettlementCommand): void {
    if (command.type === 'AssignSeat') {
      const { winner, decidedBy, candidateIds } = command;
      this.logger.log(
        `settling seat ${seatId}: ${winner.customerName} (${winner.serverId}) by ${decidedBy}` +
          (candidateIds.length > 1 ? `, ${candidateIds.length} attempts time cannot order` : ''),
      );
    }
    const sent = this.commandBus.execute(new SeatStreamCommand(command, this.session));
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent)).catch(() => undefined);
    sent.catch((error: unknown) => {
      this.logger.warn(
        `settlement of seat ${seatId} failed (${command.type}), retrying: ${error instanceof Error ? error.message : String(error)}`,
      );
      setTimeout(() => {
        this.enqueue(async () => {
          if (this.stopped) return;
          this.deliver(seatId, { type: 'CommandFailed', command: command.type });
          this.deliver(seatId, { type: 'LogRead', upTo: this.readUpTo });
        });
      }, RETRY_AFTER_MS).unref();
    });
  }

  /** One timer, set for the earliest settle time among the open seats. */
  private reschedule(): void {
    if (this.stopped) return;
    if (!this.acting) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.timerDueAt = Number.POSITIVE_INFINITY;
      return;
    }
    const next = this.agenda.nextSettleTime;
    if (next === this.timerDueAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDueAt = next;
    if (!Number.isFinite(next)) return;
    // Long waits are re-checked every minute (and setTimeout cannot wait past ~24 days anyway).
    const delayMs = Math.min(60_000, Math.max(0, next - this.clock.nowMs()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDueAt = Number.POSITIVE_INFINITY;
      this.enqueue(() => this.onTimer());
    }, delayMs);
  }
}
