/**
 * PostgreSQL arrays in the binary wire format, to send a whole column of a
 * batch as one Buffer parameter (node-postgres sends Buffers in binary).
 * The server reads them with array_recv: no text to parse, which on PGlite's
 * WASM backend made JSON row sets (jsonb_to_recordset) the bulk of a batch's
 * cost. Read them back as rows with
 * `unnest($1::uuid[], $2::text[], …) AS r(attempt_id, run_id, …)`.
 */

export type BinaryElementType = 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'uuid' | 'timestamptz';

const ELEMENT_OIDS: Record<BinaryElementType, number> = {
  bool: 16,
  int8: 20,
  int4: 23,
  text: 25,
  float8: 701,
  timestamptz: 1184,
  uuid: 2950,
};

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value as the element's binary form; null stays SQL NULL. */
export type BinaryValue = string | number | bigint | boolean | Date | null | undefined;

/** As JSON would have it: a non-finite number is no value (NULL), never ±Infinity or NaN. */
const isAbsent = (type: BinaryElementType, value: BinaryValue): value is null | undefined =>
  value === null || value === undefined || (type === 'float8' && !Number.isFinite(Number(value)));

const encodeElement = (type: BinaryElementType, value: Exclude<BinaryValue, null | undefined>): Buffer => {
  switch (type) {
    case 'text':
      return Buffer.from(String(value), 'utf8');
    case 'bool':
      return Buffer.from([value ? 1 : 0]);
    case 'int4': {
      const buffer = Buffer.allocUnsafe(4);
      buffer.writeInt32BE(Number(value));
      return buffer;
    }
    case 'int8': {
      const buffer = Buffer.allocUnsafe(8);
      buffer.writeBigInt64BE(BigInt(value as string | number | bigint));
      return buffer;
    }
    case 'float8': {
      const buffer = Buffer.allocUnsafe(8);
      buffer.writeDoubleBE(Number(value));
      return buffer;
    }
    case 'uuid': {
      const text = String(value);
      if (!UUID.test(text)) throw new Error(`not a uuid: "${text}"`);
      return Buffer.from(text.replace(/-/g, ''), 'hex');
    }
    case 'timestamptz': {
      const date = value instanceof Date ? value : new Date(String(value));
      const millis = date.getTime();
      if (!Number.isFinite(millis)) throw new Error(`not a timestamp: "${String(value)}"`);
      // Date keeps milliseconds, so the microseconds are exact.
      const buffer = Buffer.allocUnsafe(8);
      buffer.writeBigInt64BE(BigInt(millis) * 1000n - POSTGRES_EPOCH_MICROS);
      return buffer;
    }
  }
};

/** One-dimensional array of `type`, lower bound 1, in array_send's format. */
export const binaryArray = (type: BinaryElementType, values: readonly BinaryValue[]): Buffer => {
  const elements = values.map((value) => (isAbsent(type, value) ? null : encodeElement(type, value)));
  const header = Buffer.allocUnsafe(20);
  header.writeInt32BE(1, 0); // dimensions
  header.writeInt32BE(elements.includes(null) ? 1 : 0, 4);
  header.writeInt32BE(ELEMENT_OIDS[type], 8);
  header.writeInt32BE(elements.length, 12);
  header.writeInt32BE(1, 16); // lower bound
  const parts: Buffer[] = [header];
  for (const element of elements) {
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(element === null ? -1 : element.length);
    parts.push(length);
    if (element !== null) parts.push(element);
  }
  return Buffer.concat(parts);
};

/** A column of a row set sent as binary arrays: its name, its element type, and the SQL type to cast it to. */
export interface BinaryColumn<Row> {
  readonly name: string;
  readonly type: BinaryElementType;
  /** Cast applied after unnest, e.g. 'text[]' for an array literal sent as text, 'jsonb' for JSON text. */
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
