import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { apiErrorOf } from '../../core/api/api-error';
import type { Reservation, SeatTimeline } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { LiveUpdates } from '../../core/live/live-updates.service';
import { furthestApart } from '../../core/servers/booking-servers.service';
import { formatOffset } from '../../shared/format';
import { plainMessage } from '../../shared/field-labels';
import { SeatsStore } from '../seats/seats.store';

export type GuideStepState = 'running' | 'done' | 'failed';

export interface GuideStep {
  text: string;
  state: GuideStepState;
}

/** The scenario the guide applies: clocks more than 15 s apart, so the inversion is certain. */
export const GUIDE_SCENARIO = 'extreme_drift';
/** Ana goes first, Bob this much later: far outside NTP's error bounds (ms), well inside the conflict window. */
const GAP_BETWEEN_ATTEMPTS_MS = 400;
const PREFERRED_SEAT = 7;
const TIMELINE_POLL_MS = 250;
const TIMELINE_WAIT_MS = 8000;

/**
 * "Show me an inversion", narrated: applies extreme_drift, sends Ana through
 * the server whose clock is furthest ahead and, a moment later, Bob through
 * the one furthest behind, then opens the seat's timeline, where the server
 * clock line crosses the NTP-corrected and true lines. An operator action:
 * a refused step asks for the sign-in and goes on.
 */
@Injectable()
export class InversionGuide {
  private readonly api = inject(LabApi);
  private readonly live = inject(LiveUpdates);
  private readonly seats = inject(SeatsStore);
  readonly steps = signal<GuideStep[]>([]);
  readonly running = signal(false);
  readonly seatId = signal<number | null>(null);
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => (this.destroyed = true));
  }

  async run(): Promise<void> {
    if (this.running()) return;
    this.running.set(true);
    this.steps.set([]);
    this.seatId.set(null);
    try {
      await this.step(
        `Applying ${GUIDE_SCENARIO}: the servers' clocks drift tens of seconds apart, then each syncs with NTP.`,
        () => this.api.applyScenario(GUIDE_SCENARIO),
      );
      this.live.refreshAll();
      const statuses = await this.api.timeStatus();
      const pair = furthestApart(statuses);
      if (!pair) throw new Error('The lab needs at least two booking servers.');
      this.say(
        `${pair.ahead.server_id} runs ${formatOffset(pair.ahead.true_offset_ms)}, ${pair.behind.server_id} ` +
          `${formatOffset(pair.behind.true_offset_ms)}: the two clocks furthest apart.`,
      );
      const seatId = await this.freeSeat();
      this.seatId.set(seatId);
      await this.step(`Ana reserves seat ${seatId} through ${pair.ahead.server_id}, the clock furthest ahead.`, () =>
        this.reserve(seatId, 'Ana', pair.ahead.server_id),
      );
      await new Promise((resolve) => setTimeout(resolve, GAP_BETWEEN_ATTEMPTS_MS));
      await this.step(
        `${GAP_BETWEEN_ATTEMPTS_MS / 1000} s later, Bob reserves it through ${pair.behind.server_id}, ` +
          `whose clock reads ${formatOffset(pair.behind.true_offset_ms - pair.ahead.true_offset_ms)} behind.`,
        () => this.reserve(seatId, 'Bob', pair.behind.server_id),
      );
      this.seats.select(seatId);
      await this.step(`The lab orders both attempts by every clock: seat ${seatId}'s timeline is open below.`, () =>
        this.waitForInversion(seatId),
      );
      this.say(
        `Bob's server stamped the earlier time, so naive servers would give him the seat: the server-clock line ` +
          `crosses the others. NTP-corrected and true time put Ana first, and when the conflict window ` +
          `closes the seat goes to Ana by NTP-corrected time.`,
      );
    } catch (error) {
      this.fail(error);
    } finally {
      this.running.set(false);
    }
  }

  private async freeSeat(): Promise<number> {
    const seats = await this.api.seats();
    const free = seats.filter((seat) => seat.status === 'free' && seat.attempts_count === 0);
    const seat = free.find((candidate) => candidate.id === PREFERRED_SEAT) ?? free[0];
    if (!seat) throw new Error('Every seat has been tried: reset the lab (Simulation screen) and try again.');
    return seat.id;
  }

  private reserve(seatId: number, customerName: string, serverId: string): Promise<Reservation> {
    return this.api.reserve({ seat_id: seatId, customer_name: customerName, server_id: serverId });
  }

  private async waitForInversion(seatId: number): Promise<SeatTimeline> {
    const deadline = Date.now() + TIMELINE_WAIT_MS;
    while (!this.destroyed) {
      const timeline = await this.api.seatTimeline(seatId);
      if (timeline.kinds.includes('inversion')) return timeline;
      if (Date.now() > deadline) {
        throw new Error(`Seat ${seatId} shows no inversion: the clocks may have been edited since. Try again.`);
      }
      await new Promise((resolve) => setTimeout(resolve, TIMELINE_POLL_MS));
    }
    throw new Error('The guide was closed.');
  }

  private async step<T>(text: string, action: () => Promise<T>): Promise<T> {
    this.steps.update((steps) => [...steps, { text, state: 'running' }]);
    const result = await action();
    this.markLast('done');
    return result;
  }

  private say(text: string): void {
    this.steps.update((steps) => [...steps, { text, state: 'done' }]);
  }

  private fail(error: unknown): void {
    const message = apiErrorOf(error).messages.map(plainMessage).join(' ');
    this.markLast('failed');
    this.steps.update((steps) => [...steps, { text: `Stopped: ${message}`, state: 'failed' }]);
  }

  private markLast(state: GuideStepState): void {
    this.steps.update((steps) =>
      steps.map((step, index) => (index === steps.length - 1 && step.state === 'running' ? { ...step, state } : step)),
    );
  }
}
