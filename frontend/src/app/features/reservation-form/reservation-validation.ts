// Mirrors the API's rules for POST /api/reservations (CreateReservationDto):
// customer_name required, at most 100 characters; seat_id an integer in
// 1..MAX_SEATS; server_id one of the booking servers. Checking here saves a
// round trip; the API still has the last word and its errors are shown too.

export const CUSTOMER_NAME_MAX_LENGTH = 100;

export interface ReservationDraft {
  customerName: string;
  /** As typed: validation decides whether it is a seat number. */
  seatId: string;
  serverId: string;
}

export interface ReservationRules {
  maxSeat: number;
  serverIds: readonly string[];
}

/** Keys are the API's field names, so API and client errors land in the same place; messages are plain words. */
export type ReservationFieldErrors = Partial<Record<'customer_name' | 'seat_id' | 'server_id', string>>;

export function validateReservation(draft: ReservationDraft, rules: ReservationRules): ReservationFieldErrors {
  const errors: ReservationFieldErrors = {};
  const name = draft.customerName.trim();
  if (name.length === 0) errors.customer_name = 'Customer name is required';
  else if (name.length > CUSTOMER_NAME_MAX_LENGTH) {
    errors.customer_name = `Customer name must be at most ${CUSTOMER_NAME_MAX_LENGTH} characters`;
  }

  const seatText = draft.seatId.trim();
  const seat = Number(seatText);
  if (seatText === '') errors.seat_id = 'Seat is required';
  else if (!/^-?\d+$/.test(seatText) || !Number.isSafeInteger(seat)) errors.seat_id = 'Seat must be a whole number';
  else if (seat < 1 || (rules.maxSeat > 0 && seat > rules.maxSeat)) {
    errors.seat_id = `Seat must be between 1 and ${rules.maxSeat}`;
  }

  if (!rules.serverIds.includes(draft.serverId)) errors.server_id = 'Booking server must be one of the booking servers';
  return errors;
}

export function hasErrors(errors: ReservationFieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
