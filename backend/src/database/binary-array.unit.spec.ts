import { binaryArray, textArrayLiteral, unnestRows } from './binary-array';

const int32At = (buffer: Buffer, offset: number) => buffer.readInt32BE(offset);

describe('binaryArray', () => {
  it('given int4 values with a null, when encoded, then the header and each element follow array_send', () => {
    const encoded = binaryArray('int4', [7, null]);
    expect([0, 4, 8, 12, 16].map((offset) => int32At(encoded, offset))).toEqual([1, 1, 23, 2, 1]);
    expect(int32At(encoded, 20)).toBe(4);
    expect(int32At(encoded, 24)).toBe(7);
    expect(int32At(encoded, 28)).toBe(-1);
    expect(encoded.length).toBe(32);
  });

  it('given a uuid, a timestamp and a bigint string, when encoded, then their binary forms are exact', () => {
    const uuid = binaryArray('uuid', ['00112233-4455-6677-8899-aabbccddeeff']);
    expect(uuid.subarray(24).toString('hex')).toBe('00112233445566778899aabbccddeeff');
    const timestamp = binaryArray('timestamptz', [new Date('2000-01-01T00:00:01.5Z')]);
    expect(timestamp.readBigInt64BE(24)).toBe(1_500_000n);
    const bigint = binaryArray('int8', ['9007199254740993']);
    expect(bigint.readBigInt64BE(24)).toBe(9_007_199_254_740_993n);
  });

  it('given text beyond ASCII, when encoded, then each length counts its UTF-8 bytes, not its characters', () => {
    const encoded = binaryArray('text', ['Zoë', null, '席🎫', '']);
    expect(int32At(encoded, 20)).toBe(4);
    expect(encoded.toString('utf8', 24, 28)).toBe('Zoë');
    expect(int32At(encoded, 28)).toBe(-1);
    expect(int32At(encoded, 32)).toBe(7);
    expect(encoded.toString('utf8', 36, 43)).toBe('席🎫');
    expect(int32At(encoded, 43)).toBe(0);
    expect(encoded.length).toBe(47);
  });

  it('given booleans, timestamps as text and as Date, when encoded, then each has its fixed size', () => {
    const bools = binaryArray('bool', [true, false]);
    expect([int32At(bools, 20), bools[24], int32At(bools, 25), bools[29]]).toEqual([1, 1, 1, 0]);
    const times = binaryArray('timestamptz', ['2000-01-01T00:00:02Z', new Date('2000-01-01T00:00:03Z')]);
    expect([times.readBigInt64BE(24), times.readBigInt64BE(36)]).toEqual([2_000_000n, 3_000_000n]);
  });

  it('given JSON text as jsonb, when encoded, then each element is the format version byte and the text', () => {
    const encoded = binaryArray('jsonb', ['{"seat":"席"}', null]);
    expect(int32At(encoded, 8)).toBe(3802);
    expect(int32At(encoded, 20)).toBe(1 + Buffer.byteLength('{"seat":"席"}'));
    expect(encoded[24]).toBe(1);
    expect(encoded.toString('utf8', 25, 25 + Buffer.byteLength('{"seat":"席"}'))).toBe('{"seat":"席"}');
    expect(int32At(encoded, encoded.length - 4)).toBe(-1);
  });

  it('given non-finite doubles, when encoded, then they are NULL as in JSON', () => {
    const encoded = binaryArray('float8', [Number.POSITIVE_INFINITY, Number.NaN, 1.5]);
    expect(int32At(encoded, 4)).toBe(1);
    expect(int32At(encoded, 20)).toBe(-1);
    expect(int32At(encoded, 24)).toBe(-1);
    expect(encoded.readDoubleBE(32)).toBe(1.5);
  });

  it('given something that is not a uuid, when encoded, then it throws instead of sending garbage', () => {
    expect(() => binaryArray('uuid', ['not-a-uuid'])).toThrow('not a uuid');
  });
});

describe('unnestRows', () => {
  it('given two columns, when built, then parameters are numbered and casts applied in the select list', () => {
    const built = unnestRows<{ id: string; kinds: string[] }>(
      [
        { name: 'id', type: 'text', value: (row) => row.id },
        { name: 'kinds', type: 'text', cast: 'text[]', value: (row) => textArrayLiteral(row.kinds) },
      ],
      [{ id: 'a', kinds: ['x', 'y "z"'] }],
      3,
    );
    expect(built.from).toBe('unnest($3::text[], $4::text[]) AS r(id, kinds)');
    expect(built.select).toBe('r.id, r.kinds::text[] AS kinds');
    expect(built.parameters).toHaveLength(2);
    expect(textArrayLiteral(['x', 'y "z"'])).toBe('{"x","y \\"z\\""}');
  });
});
