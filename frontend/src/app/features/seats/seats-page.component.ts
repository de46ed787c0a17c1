import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ReservationFormComponent } from '../reservation-form/reservation-form.component';
import { SeatsGridComponent } from './seats-grid.component';
import { SeatsStore } from './seats.store';

/** Seats next to the form: a click on a seat prefills the form and opens the timeline. */
@Component({
  selector: 'lab-seats-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SeatsGridComponent, ReservationFormComponent],
  providers: [SeatsStore],
  template: `
    <div class="layout">
      <lab-seats-grid />
      <lab-reservation-form [maxSeat]="store.maxSeat() || 100" [preselectedSeat]="store.selectedSeatId()" />
    </div>
  `,
  styles: `
    .layout {
      display: grid;
      grid-template-columns: minmax(0, 1fr) 380px;
      gap: 12px;
      align-items: start;
    }
    @media (max-width: 1000px) {
      .layout {
        grid-template-columns: 1fr;
      }
    }
  `,
})
export class SeatsPageComponent {
  protected readonly store = inject(SeatsStore);
}
