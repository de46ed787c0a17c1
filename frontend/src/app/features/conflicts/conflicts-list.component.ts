import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { BookingServers } from '../../core/servers/booking-servers.service';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { ConflictKindsLegendComponent } from '../../shared/ui/conflict-kinds-legend.component';
import { ConflictKindSelectComponent } from './conflict-kind-select.component';
import { ConflictsTableComponent } from './conflicts-table.component';
import { ConflictsStore } from './conflicts.store';

@Component({
  selector: 'lab-conflicts-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ApiErrorMessageComponent,
    ConflictsTableComponent,
    ConflictKindsLegendComponent,
    ConflictKindSelectComponent,
  ],
  providers: [ConflictsStore],
  templateUrl: './conflicts-list.component.html',
  styles: `
    :host {
      display: grid;
      gap: 12px;
    }
    .filters {
      display: flex;
      gap: 10px;
      align-items: end;
      flex-wrap: wrap;
      margin-bottom: 8px;
    }
    .filters .field {
      width: 160px;
    }
  `,
})
export class ConflictsListComponent {
  protected readonly store = inject(ConflictsStore);
  protected readonly servers = inject(BookingServers);
}
