// The API names fields the way JSON does (`seat_id must be at least 1`); a
// class reads "Seat must be at least 1". One table of names for every message.

const FIELD_LABELS: Record<string, string> = {
  seat_id: 'Seat',
  customer_name: 'Customer name',
  server_id: 'Booking server',
  scenario: 'Scenario',
  seed: 'Seed',
  seats: 'Seats',
  attempts_per_seat: 'Attempts per seat',
  spread_ms: 'Spread',
  offset_ms: 'Offset',
  drift_ppm: 'Drift',
  jitter_ms: 'Jitter',
  outbound_delay_ms: 'Outbound delay',
  inbound_delay_ms: 'Inbound delay',
  never_syncs: 'Never syncs',
  run_id: 'Run',
  limit: 'Page size',
  offset: 'Page start',
  username: 'User name',
  password: 'Password',
};

/** snake_case names are the API's wherever they appear; a one-word name only where a message starts with it. */
const SNAKE_CASE_NAME = /\b[a-z]+(?:_[a-z]+)+\b/g;
const LEADING_NAME = /^[a-z]+\b/;

/** Replaces the API's field names in a message by their plain names, with a capital first letter. */
export function plainMessage(message: string): string {
  const replaced = message
    .replace(SNAKE_CASE_NAME, (name) => FIELD_LABELS[name] ?? name)
    .replace(LEADING_NAME, (name) => FIELD_LABELS[name] ?? name);
  return replaced.charAt(0).toUpperCase() + replaced.slice(1);
}

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}
