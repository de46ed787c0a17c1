/**
 * The canonical text form of a UUID (8-4-4-4-12 hex digits, any case): what
 * PostgreSQL's binary uuid input is written from and what every event store
 * takes as an event id (PostgreSQL would also take braces or no hyphens,
 * EventStoreDB not).
 */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isCanonicalUuid = (text: string): boolean => CANONICAL_UUID.test(text);
