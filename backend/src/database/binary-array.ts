/**
 * PostgreSQL arrays in the binary wire format, to send a whole column of a
 * batch as one Buffer parameter (node-postgres sends Buffers in binary).
 * The server reads them with array_recv: no text to parse, which on PGlite's
 * WASM backend made JSON row sets (jsonb_to_recordset) the bulk of a batch's
 * cost. Read them back as rows with
 * `unnest($1::uuid[], $2::text[], …) AS r(attempt_id, run_id, …)`.
 */

import { isCanonicalUuid } from '../shared/uuid-form';

export type BinaryElementType = 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'uuid' | 'timestamptz' | 'jsonb';

const ELEMENT_OIDS: Record<BinaryElementType, number> = {
  bool: 16,
  int8: 20,
  int4: 23,
  text: 25,
  float8: 701,
  timestamptz: 1184,
  uuid: 2950,
  jsonb: 3802,
};

const JSONB_FORMAT_VERSION = 1;
const JSONB_VERSION_BYTES = 1;

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;

/** A value as the element's binary form; null stays SQL NULL. */
export type BinaryValue = string | number | bigint | boolean | Date | null | undefined;

/** As JSON would have it: a non-finite number is no value (NULL), never ±Infinity or NaN. */
const isAbsent = (type: BinaryElementType, value: BinaryValue): value is null | undefined =>
  value === null || value === undefined || (type === 'float8' && !Number.isFinite(Number(value)));

/** The value as the string its binary form is written from ('' where a number or a Date is written). */
const textOf = (type: BinaryElementType, value: Exclude<BinaryValue, null | undefined>): string =>
  type === 'text' || type === 'jsonb' || type === 'uuid' || (type === 'timestamptz' && !(value instanceof Date))
    ? String(value)
    : '';

/** Bytes of an element's binary form; `text` is the value as a string, for text elements. */
const sizeOf = (type: BinaryElementType, text: string): number => {
  switch (type) {
    case 'text':
      return Buffer.byteLength(text, 'utf8');
    case 'jsonb':
      return JSONB_VERSION_BYTES + Buffer.byteLength(text, 'utf8');
    case 'bool':
      return 1;
    case 'int4':
      return 4;
    case 'uuid':
      return 16;
    case 'int8':
    case 'float8':
    case 'timestamptz':
      return 8;
  }
};

/** Writes an element's binary form at `offset` (its size was measured by sizeOf). */
const writeElement = (
  buffer: Buffer,
  offset: number,
  type: BinaryElementType,
  value: Exclude<BinaryValue, null | undefined>,
  text: string,
): void => {
  switch (type) {
    case 'text':
      buffer.write(text, offset, 'utf8');
      return;
    case 'jsonb':
      // jsonb_recv: a format version byte, then the JSON text (the server still parses it).
      buffer.writeUInt8(JSONB_FORMAT_VERSION, offset);
      buffer.write(text, offset + JSONB_VERSION_BYTES, 'utf8');
      return;
    case 'bool':
      buffer.writeUInt8(value ? 1 : 0, offset);
      return;
    case 'int4':
      buffer.writeInt32BE(Number(value), offset);
      return;
    case 'int8':
      buffer.writeBigInt64BE(BigInt(value as string | number | bigint), offset);
      return;
    case 'float8':
      buffer.writeDoubleBE(Number(value), offset);
      return;
    case 'uuid':
      if (!isCanonicalUuid(text)) throw new Error(`not a uuid: "${text}"`);
      buffer.write(text.replace(/-/g, ''), offset, 'hex');
      return;
    case 'timestamptz': {
      const date = value instanceof Date ? value : new Date(text);
      const millis = date.getTime();
      if (!Number.isFinite(millis)) throw new Error(`not a timestamp: "${String(value)}"`);
      // Date keeps milliseconds, so the microseconds are exact.
      buffer.writeBigInt64BE(BigInt(millis) * 1000n - POSTGRES_EPOCH_MICROS, offset);
      return;
    }
  }
};

const HEADER_BYTES = 20;
const LENGTH_BYTES = 4;

/**
 * One-dimensional array of `type`, lower bound 1, in array_send's format.
 * Measured first, then written into one Buffer: a batch's columns hold about a
 * million elements, and a Buffer per element and per length word made the
 * garbage collector a seventh of the projection's main-thread time.
 */
export const binaryArray = (type: BinaryElementType, values: readonly BinaryValue[]): Buffer => {
  const texts = values.map((value) => (isAbsent(type, value) ? null : textOf(type, value)));
  const sizes = texts.map((text) => (text === null ? 0 : sizeOf(type, text)));
  let total = HEADER_BYTES;
  for (const size of sizes) total += LENGTH_BYTES + size;
  const buffer = Buffer.allocUnsafe(total);
  buffer.writeInt32BE(1, 0); // dimensions
  buffer.writeInt32BE(texts.includes(null) ? 1 : 0, 4);
  buffer.writeInt32BE(ELEMENT_OIDS[type], 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  let offset = HEADER_BYTES;
  texts.forEach((text, index) => {
    if (text === null) {
      buffer.writeInt32BE(-1, offset);
      offset += LENGTH_BYTES;
      return;
    }
    const size = sizes[index]!;
    buffer.writeInt32BE(size, offset);
    writeElement(buffer, offset + LENGTH_BYTES, type, values[index] as Exclude<BinaryValue, null | undefined>, text);
    offset += LENGTH_BYTES + size;
  });
  return buffer;
};

/** A column of a row set sent as binary arrays: its name, its element type, and the SQL type to cast it to. */
export interface BinaryColumn<Row> {
  readonly name: string;
  readonly type: BinaryElementType;
  /** Cast applied after unnest, e.g. 'text[]' for an array literal sent as text. */
  readonly cast?: string;
  readonly value: (row: Row) => BinaryValue;
}

/**
 * `rows` as one binary array per column, and the FROM item that turns them
 * back into rows (alias `r`, one column per name, casts applied in `select`).
 * Parameters are numbered from `firstParameter`.
 */
export const unnestRows = <Row>(
  columns: readonly BinaryColumn<Row>[],
  rows: readonly Row[],
  firstParameter = 1,
): { from: string; select: string; parameters: Buffer[] } => ({
  from: `unnest(${columns
    .map((column, index) => `$${firstParameter + index}::${column.type}[]`)
    .join(', ')}) AS r(${columns.map((column) => column.name).join(', ')})`,
  select: columns.map(({ name, cast }) => (cast ? `r.${name}::${cast} AS ${name}` : `r.${name}`)).join(', '),
  parameters: columns.map((column) => binaryArray(column.type, rows.map(column.value))),
});

/** A text[] literal (`{"a","b"}`), for array-valued columns sent as text and cast back. */
export const textArrayLiteral = (values: readonly string[] | null): string | null =>
  values === null
    ? null
    : `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
