import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { CONFLICT_KINDS, type ConflictKind } from '../../core/api/api-types';

/** A picked value as a conflict kind, or '' for all kinds (anything else too). */
export function conflictKindOf(value: string | undefined): ConflictKind | '' {
  return (CONFLICT_KINDS as readonly string[]).includes(value ?? '') ? (value as ConflictKind) : '';
}

/** The conflict-kind filter, shared by the live lab's list and a run's. */
@Component({
  selector: 'lab-conflict-kind-select',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <label class="field">
      <span>Kind</span>
      <select #kindSelect name="kind" (change)="kindChange.emit(parse(kindSelect.value))">
        <option value="">all kinds</option>
        @for (option of kinds; track option) {
          <option [value]="option" [selected]="option === kind()">{{ option }}</option>
        }
      </select>
    </label>
  `,
})
export class ConflictKindSelectComponent {
  readonly kind = input<ConflictKind | ''>('');
  readonly kindChange = output<ConflictKind | ''>();
  protected readonly kinds = CONFLICT_KINDS;
  protected readonly parse = conflictKindOf;
}
