import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import type { Seat, SeatTimeline } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { reloadWhenChanged } from '../../core/live/reload-when-changed';

export type SeatCellState = 'free' | 'pending' | 'taken' | 'conflict';

/** Conflict wins over the settled status: it is what the grid must make jump out. */
export function cellStateOf(seat: Seat): SeatCellState {
  return seat.conflict_kinds.length > 0 ? 'conflict' : seat.status;
}

/** Seats of the live lab, the selected seat and its timeline; reloaded on every seat change. */
@Injectable()
export class SeatsStore {
  private readonly api = inject(LabApi);

  readonly seats = signal<Seat[]>([]);
  readonly error = signal<ApiError | null>(null);
  readonly loaded = signal(false);
  readonly selectedSeatId = signal<number | null>(null);
  readonly timeline = signal<SeatTimeline | null>(null);
  readonly timelineError = signal<ApiError | null>(null);

  readonly maxSeat = computed(() => this.seats().length);
  readonly counts = computed(() => {
    const counts: Record<SeatCellState, number> = { free: 0, pending: 0, taken: 0, conflict: 0 };
    for (const seat of this.seats()) counts[cellStateOf(seat)] += 1;
    return counts;
  });
  readonly selectedSeat = computed(() => this.seats().find((seat) => seat.id === this.selectedSeatId()) ?? null);

  constructor() {
    reloadWhenChanged(['seat', 'attempt', 'conflict'], () => void this.load());
  }

  async load(): Promise<void> {
    try {
      this.seats.set(await this.api.seats());
      this.error.set(null);
    } catch (error) {
      this.error.set(apiErrorOf(error));
    } finally {
      this.loaded.set(true);
    }
    const selected = this.selectedSeatId();
    if (selected !== null) await this.loadTimeline(selected);
  }

  async select(seatId: number | null): Promise<void> {
    this.selectedSeatId.set(seatId);
    this.timeline.set(null);
    if (seatId !== null) await this.loadTimeline(seatId);
  }

  private async loadTimeline(seatId: number): Promise<void> {
    try {
      const timeline = await this.api.seatTimeline(seatId);
      if (this.selectedSeatId() === seatId) this.timeline.set(timeline);
      this.timelineError.set(null);
    } catch (error) {
      this.timelineError.set(apiErrorOf(error));
    }
  }
}
