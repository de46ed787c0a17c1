import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import type { CreateReservationRequest, Reservation } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';

export const RESERVATION_FIELDS = ['customer_name', 'seat_id', 'server_id'] as const;

export interface AttemptResult {
  /** Unique per attempt sent from this form (the list's track key). */
  seq: number;
  seatId: number;
  serverId: string;
  customerName: string;
  reservation: Reservation | null;
  error: ApiError | null;
}

/** The results list keeps this many attempts, newest first. */
export const MAX_RESULTS = 20;
const OUTCOME_POLLS = 20;
const OUTCOME_POLL_MS = 500;

/** Sends attempts and follows each one until the seat is decided (won / lost). */
@Injectable()
export class ReservationFormStore {
  private readonly api = inject(LabApi);

  readonly submitting = signal(false);
  /** Field errors from the API for the last single submit. */
  readonly apiError = signal<ApiError | null>(null);
  readonly results = signal<AttemptResult[]>([]);

  /** Outcome polls waiting for their next turn, each with the way to end its wait early. */
  private readonly waits = new Map<ReturnType<typeof setTimeout>, () => void>();
  private destroyed = false;
  private sequence = 0;

  constructor() {
    // Leaving the page must not leave timers (or requests) running for a form nobody sees.
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      for (const [timer, endWait] of this.waits) {
        clearTimeout(timer);
        endWait();
      }
      this.waits.clear();
    });
  }

  async reserve(request: CreateReservationRequest): Promise<boolean> {
    this.submitting.set(true);
    this.apiError.set(null);
    try {
      const result = await this.attempt(request);
      this.keep([result]);
      if (result.error) this.apiError.set(result.error);
      return result.error === null;
    } finally {
      this.submitting.set(false);
    }
  }

  /** The same seat through several servers at once: the contention the lab is about. */
  async burst(seatId: number, customerName: string, serverIds: readonly string[]): Promise<void> {
    this.submitting.set(true);
    this.apiError.set(null);
    try {
      const requests = serverIds.map((serverId) => ({
        seat_id: seatId,
        server_id: serverId,
        customer_name: `${customerName} @${serverId}`.slice(0, 100),
      }));
      const results = await Promise.all(requests.map((request) => this.attempt(request)));
      this.keep(results);
      const firstError = results.find((result) => result.error)?.error ?? null;
      if (firstError) this.apiError.set(firstError);
    } finally {
      this.submitting.set(false);
    }
  }

  clearResults(): void {
    this.results.set([]);
  }

  /** Newest first, so the attempt just sent is where the eye is; older ones stay for comparison. */
  private keep(added: AttemptResult[]): void {
    this.results.update((results) => [...added, ...results].slice(0, MAX_RESULTS));
  }

  private async attempt(request: CreateReservationRequest): Promise<AttemptResult> {
    const base = {
      seq: ++this.sequence,
      seatId: request.seat_id,
      serverId: request.server_id,
      customerName: request.customer_name,
    };
    try {
      const reservation = await this.api.reserve(request);
      void this.followOutcome(reservation.id);
      return { ...base, reservation, error: null };
    } catch (error) {
      return { ...base, reservation: null, error: apiErrorOf(error, RESERVATION_FIELDS) };
    }
  }

  private async followOutcome(id: string): Promise<void> {
    for (let poll = 0; poll < OUTCOME_POLLS; poll++) {
      if (!(await this.pause(OUTCOME_POLL_MS))) return;
      try {
        const latest = await this.api.reservation(id);
        this.results.update((results) =>
          results.map((result) => (result.reservation?.id === id ? { ...result, reservation: latest } : result)),
        );
        if (latest.outcome !== 'pending') return;
      } catch {
        return; // the row keeps its last known outcome; the health banner reports an outage
      }
    }
  }

  /** Resolves true after `ms`, or false as soon as the form is destroyed. */
  private pause(ms: number): Promise<boolean> {
    if (this.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve(!this.destroyed);
      }, ms);
      this.waits.set(timer, () => resolve(false));
    });
  }
}
