/**
 * A name-based UUID (RFC 9562 version 8 layout: custom hash, variant 10):
 * the same parts always give the same id, so an append re-sent after a lost
 * answer (or a re-run of a seeded scenario) is idempotent.
 */
import { createHash } from 'node:crypto';

export const deterministicUuid = (...parts: ReadonlyArray<string | number>): string => {
  const hex = createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
