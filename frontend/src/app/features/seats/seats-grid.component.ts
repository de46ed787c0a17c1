import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal } from '@angular/core';
import type { Seat } from '../../core/api/api-types';
import { decidedByText } from '../../shared/strategies';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { SeatTimelineComponent } from '../../shared/ui/seat-timeline/seat-timeline.component';
import { SEATS_PER_ROW, nextSeatIndex, rowsOf } from './grid-navigation';
import { SeatsStore, cellStateOf } from './seats.store';

const STATE_WORDS = { free: 'free', pending: 'pending', taken: 'taken', conflict: 'contested' } as const;

/**
 * Every seat at a glance, ten to a row. One tab stop: arrow keys move between
 * seats (roving tabindex), Enter or Space opens the seat's timeline.
 */
@Component({
  selector: 'lab-seats-grid',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, SeatTimelineComponent],
  templateUrl: './seats-grid.component.html',
  styleUrl: './seats-grid.component.css',
})
export class SeatsGridComponent {
  protected readonly store = inject(SeatsStore);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly cellStateOf = cellStateOf;
  protected readonly decidedByText = decidedByText;
  protected readonly rows = computed(() => rowsOf(this.store.seats(), SEATS_PER_ROW));
  /** The seat that holds the grid's one tab stop. */
  private readonly focusedSeatId = signal<number | null>(null);
  protected readonly tabStopId = computed(
    () => this.focusedSeatId() ?? this.store.selectedSeatId() ?? this.store.seats()[0]?.id ?? null,
  );

  protected toggle(seatId: number): void {
    this.store.select(this.store.selectedSeatId() === seatId ? null : seatId);
  }

  protected stateWords(seat: Seat): string {
    return STATE_WORDS[cellStateOf(seat)];
  }

  /** What follows the holder's name in the seat's accessible name. */
  protected detailWords(seat: Seat): string {
    const parts: string[] = [];
    if (seat.reservation) parts.push(`via ${seat.reservation.server_id}`);
    if (seat.attempts_count > 0) parts.push(`${seat.attempts_count} attempt${seat.attempts_count > 1 ? 's' : ''}`);
    if (seat.conflict_kinds.includes('inversion')) parts.push('inversion');
    return parts.length ? (seat.reservation ? ' ' : ', ') + parts.join(', ') : '';
  }

  protected labelOf(seat: Seat): string {
    const parts = [`Seat ${seat.id}`, STATE_WORDS[cellStateOf(seat)]];
    if (seat.reservation) parts.push(`held by ${seat.reservation.customer_name} via ${seat.reservation.server_id}`);
    if (seat.attempts_count > 0) parts.push(`${seat.attempts_count} attempt${seat.attempts_count > 1 ? 's' : ''}`);
    if (seat.conflict_kinds.includes('inversion')) parts.push('inversion');
    return parts.join(', ');
  }

  protected onFocus(seatId: number): void {
    this.focusedSeatId.set(seatId);
  }

  protected onKeydown(event: KeyboardEvent): void {
    const seats = this.store.seats();
    const index = seats.findIndex((seat) => seat.id === this.tabStopId());
    const next = nextSeatIndex(event.key, index, seats.length);
    if (next === null) return;
    event.preventDefault();
    const seatId = seats[next].id;
    this.focusedSeatId.set(seatId);
    this.host.nativeElement.querySelector<HTMLButtonElement>(`[data-seat="${seatId}"]`)?.focus();
  }
}
