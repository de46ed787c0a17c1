import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { GuidePanelComponent } from '../guide/guide-panel.component';
import { InversionGuide } from '../guide/inversion-guide';
import { ReservationFormComponent } from '../reservation-form/reservation-form.component';
import { SeatsGridComponent } from './seats-grid.component';
import { SeatsStore } from './seats.store';

/** Seats next to the form: a click on a seat prefills the form and opens the timeline. */
@Component({
  selector: 'lab-seats-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [SeatsGridComponent, ReservationFormComponent, GuidePanelComponent],
  providers: [SeatsStore, InversionGuide],
  template: `
    <div class="page-head">
      <h1>Seats</h1>
      <p>Every seat of the live lab; several booking servers sell them without coordinating.</p>
    </div>
    <lab-guide-panel />
    <div class="layout">
      <lab-seats-grid />
      <lab-reservation-form [maxSeat]="store.maxSeat() || 100" [preselectedSeat]="store.selectedSeatId()" />
    </div>
  `,
  styles: `
    :host {
      display: grid;
      gap: 12px;
    }
    .layout {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 400px);
      gap: 12px;
      align-items: start;
    }
    @media (max-width: 1000px) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  `,
})
export class SeatsPageComponent {
  protected readonly store = inject(SeatsStore);
  /** `?seat=7` (a link from a conflict or an alert) opens that seat's timeline. */
  readonly seat = input<string | undefined>(undefined);

  constructor() {
    effect(() => {
      const seatId = Number(this.seat());
      if (Number.isInteger(seatId) && seatId > 0) untracked(() => this.store.select(seatId));
    });
  }
}
