import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { BookingServers } from '../../core/servers/booking-servers.service';
import { plainMessage } from '../../shared/field-labels';
import { formatBoundMs, formatOffset } from '../../shared/format';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { ReservationFormStore } from './reservation-form.store';
import { CUSTOMER_NAME_MAX_LENGTH, hasErrors, validateReservation } from './reservation-validation';

type Field = 'customer_name' | 'seat_id' | 'server_id';

@Component({
  selector: 'lab-reservation-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent],
  providers: [ReservationFormStore],
  templateUrl: './reservation-form.component.html',
  styleUrl: './reservation-form.component.css',
})
export class ReservationFormComponent {
  protected readonly store = inject(ReservationFormStore);
  protected readonly servers = inject(BookingServers);

  /** Highest seat number (the seats grid knows it). */
  readonly maxSeat = input(100);
  /** A seat chosen elsewhere (a click in the grid) prefills the form. */
  readonly preselectedSeat = input<number | null>(null);

  protected readonly nameMaxLength = CUSTOMER_NAME_MAX_LENGTH;
  protected readonly bound = formatBoundMs;
  protected readonly plain = plainMessage;
  /** "server-3 · clock +23.3 s": the picker says which server is ahead, no need to read the Simulation table. */
  protected serverLabel(id: string, trueOffsetMs: number | null): string {
    return trueOffsetMs === null ? id : `${id} · clock ${formatOffset(trueOffsetMs)}`;
  }
  protected readonly customerName = signal('');
  protected readonly seatId = signal('');
  protected readonly serverId = signal('');
  protected readonly burstServers = signal<ReadonlySet<string>>(new Set());
  /** Errors show once a field was touched or a submit was tried, not while typing the first letter. */
  private readonly touched = signal<ReadonlySet<Field>>(new Set());

  private readonly clientErrors = computed(() =>
    validateReservation(
      { customerName: this.customerName(), seatId: this.seatId(), serverId: this.serverId() },
      { maxSeat: this.maxSeat(), serverIds: this.servers.ids() },
    ),
  );

  /** Client-side error first; otherwise what the API said about the field. */
  protected readonly errors = computed(() => {
    const shown: Partial<Record<Field, string>> = {};
    const client = this.clientErrors();
    const api = this.store.apiError()?.fieldErrors ?? {};
    for (const field of ['customer_name', 'seat_id', 'server_id'] as const) {
      const message = this.touched().has(field) ? client[field] : undefined;
      const fromApi = api[field]?.map(plainMessage).join('; ');
      if (message || fromApi) shown[field] = message ?? fromApi;
    }
    return shown;
  });

  /** API messages that name no field still need to be seen. */
  protected readonly generalApiError = computed(() => {
    const apiError = this.store.apiError();
    if (!apiError) return null;
    const fieldMessages = new Set(Object.values(apiError.fieldErrors).flat());
    const rest = apiError.messages.filter((message) => !fieldMessages.has(message));
    return rest.length > 0 ? { ...apiError, messages: rest } : null;
  });

  constructor() {
    effect(() => {
      const seat = this.preselectedSeat();
      if (seat !== null) this.seatId.set(String(seat));
    });
    effect(() => {
      const ids = this.servers.ids();
      if (!ids.includes(this.serverId())) this.serverId.set(ids[0] ?? '');
      if (this.burstServers().size === 0) this.burstServers.set(new Set(ids.slice(0, 3)));
    });
  }

  protected touch(field: Field): void {
    this.touched.update((fields) => new Set(fields).add(field));
  }

  protected toggleBurstServer(serverId: string, on: boolean): void {
    this.burstServers.update((current) => {
      const next = new Set(current);
      if (on) next.add(serverId);
      else next.delete(serverId);
      return next;
    });
  }

  private validForSubmit(fields: readonly Field[]): boolean {
    for (const field of fields) this.touch(field);
    const errors = this.clientErrors();
    return !hasErrors(
      Object.fromEntries(fields.filter((field) => errors[field]).map((field) => [field, errors[field]])),
    );
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.validForSubmit(['customer_name', 'seat_id', 'server_id'])) return;
    await this.store.reserve({
      customer_name: this.customerName().trim(),
      seat_id: Number(this.seatId()),
      server_id: this.serverId(),
    });
  }

  protected async burst(): Promise<void> {
    if (!this.validForSubmit(['customer_name', 'seat_id'])) return;
    const servers = this.servers.ids().filter((id) => this.burstServers().has(id));
    if (servers.length === 0) return;
    await this.store.burst(Number(this.seatId()), this.customerName().trim(), servers);
  }
}
