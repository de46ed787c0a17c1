import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { SeatTimelineComponent } from '../../shared/ui/seat-timeline/seat-timeline.component';
import { SeatsStore, cellStateOf } from './seats.store';

/** Every seat at a glance; a click opens the seat's three-clock timeline. */
@Component({
  selector: 'lab-seats-grid',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, SeatTimelineComponent],
  templateUrl: './seats-grid.component.html',
  styleUrl: './seats-grid.component.css',
})
export class SeatsGridComponent {
  protected readonly store = inject(SeatsStore);
  protected readonly cellStateOf = cellStateOf;

  protected toggle(seatId: number): void {
    void this.store.select(this.store.selectedSeatId() === seatId ? null : seatId);
  }
}
