import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { CONFLICT_KINDS, ConflictKind } from '../../core/api/api-types';
import { BookingServers } from '../../core/servers/booking-servers.service';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { WitnessTableComponent } from '../../shared/ui/witness-table.component';
import { ConflictsStore } from './conflicts.store';

@Component({
  selector: 'lab-conflicts-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, WitnessTableComponent],
  providers: [ConflictsStore],
  templateUrl: './conflicts-list.component.html',
  styles: `
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
    tr.row {
      cursor: pointer;
    }
    tr.row:hover td {
      background: var(--hover);
    }
    tr.detail > td {
      background: var(--surface-alt);
      padding: 8px 10px 12px;
    }
    .chevron {
      display: inline-block;
      width: 1em;
      color: var(--muted);
    }
  `,
})
export class ConflictsListComponent {
  protected readonly store = inject(ConflictsStore);
  protected readonly servers = inject(BookingServers);
  protected readonly kinds = CONFLICT_KINDS;

  constructor() {
    void this.servers.load();
  }

  protected setKind(value: string): void {
    this.store.kind.set((this.kinds as readonly string[]).includes(value) ? (value as ConflictKind) : '');
  }
}
