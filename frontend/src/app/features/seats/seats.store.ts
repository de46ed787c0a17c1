import { Injectable, computed, inject, signal } from '@angular/core';
import type { Seat } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { liveResource } from '../../core/live/live-resource';

export type SeatCellState = 'free' | 'pending' | 'taken' | 'conflict';

/** Conflict wins over the settled status in the grid: it is what must jump out. */
export function cellStateOf(seat: Seat): SeatCellState {
  return seat.conflict_kinds.length > 0 ? 'conflict' : seat.status;
}

export interface SeatCounts {
  free: number;
  pending: number;
  /** Held by someone, contested or not. */
  taken: number;
  /** Seats with a conflict (two or more attempts), whatever their status. */
  contested: number;
}

/** Counted by status, so a seat Ana holds after a conflict is taken (and contested), never "0 taken". */
export function countSeats(seats: readonly Seat[]): SeatCounts {
  const counts: SeatCounts = { free: 0, pending: 0, taken: 0, contested: 0 };
  for (const seat of seats) {
    counts[seat.status] += 1;
    if (seat.conflict_kinds.length > 0) counts.contested += 1;
  }
  return counts;
}

/** Seats of the live lab, the selected seat and its timeline, reloaded on every change. */
@Injectable()
export class SeatsStore {
  private readonly api = inject(LabApi);
  readonly selectedSeatId = signal<number | null>(null);

  private readonly seatsLoad = liveResource({
    reloadOn: ['seat', 'attempt', 'conflict'],
    load: (_none: undefined, abort) => this.api.seats(abort),
  });
  private readonly timelineLoad = liveResource({
    reloadOn: ['seat', 'attempt', 'conflict'],
    params: () => this.selectedSeatId() ?? undefined,
    load: (seatId: number, abort) => this.api.seatTimeline(seatId, undefined, abort),
  });

  readonly seats = computed(() => this.seatsLoad.value() ?? []);
  readonly error = this.seatsLoad.error;
  readonly loaded = computed(() => this.seatsLoad.value() !== undefined || this.error() !== null);
  /** Only the selected seat's timeline: while another loads, none rather than the previous seat's. */
  readonly timeline = computed(() => {
    const timeline = this.timelineLoad.value();
    return timeline && timeline.seat_id === this.selectedSeatId() ? timeline : null;
  });
  readonly timelineError = this.timelineLoad.error;

  readonly maxSeat = computed(() => this.seats().length);
  readonly counts = computed(() => countSeats(this.seats()));
  readonly selectedSeat = computed(() => this.seats().find((seat) => seat.id === this.selectedSeatId()) ?? null);

  select(seatId: number | null): void {
    this.selectedSeatId.set(seatId);
  }

  reload(): void {
    this.seatsLoad.reload();
    this.timelineLoad.reload();
  }
}
