import { createHash } from 'node:crypto';
import { aesCmac } from './aes-cmac';
import { appendMac, NTP_HEADER_BYTES, verifyMac } from './ntp-mac';
import type { NtpKeyType, NtpSymmetricKey } from './ntp-symmetric-key';

const header = (): Buffer => {
  const packet = Buffer.alloc(NTP_HEADER_BYTES);
  packet[0] = 0x24; // LI 0, VN 4, mode 4
  packet.writeBigUInt64BE(0x0123456789abcdefn, 24);
  return packet;
};

const keyOf = (type: NtpKeyType, id = 7): NtpSymmetricKey => ({
  id,
  type,
  secret: Buffer.alloc(type === 'AES256' ? 32 : 16, 0x5a),
});

describe('NTP MACs (RFC 5905 §7.3, RFC 8573), as chrony computes them', () => {
  it('given a hash key, the digest is H(key ‖ packet) after a 4-byte key id', () => {
    const key = keyOf('SHA1');
    const signed = appendMac(header(), key);
    expect(signed).toHaveLength(48 + 4 + 20);
    expect(signed.readUInt32BE(48)).toBe(7);
    const expected = createHash('sha1').update(key.secret).update(header()).digest();
    expect(signed.subarray(52).equals(expected)).toBe(true);
  });

  it('given an AES128 key, the digest is AES-CMAC(key, packet), 16 bytes', () => {
    const key = keyOf('AES128');
    const signed = appendMac(header(), key);
    expect(signed.subarray(52).equals(aesCmac(key.secret, header()))).toBe(true);
  });

  it.each([
    ['MD5', 16, 16],
    ['SHA1', 20, 20],
    ['SHA256', 20, 32],
    ['SHA512', 20, 64],
    ['AES128', 16, 16],
  ] as const)('%s: truncated to %i bytes in version 4 (RFC 7822), %i in version 3', (type, v4Bytes, v3Bytes) => {
    expect(appendMac(header(), keyOf(type), 4)).toHaveLength(52 + v4Bytes);
    expect(appendMac(header(), keyOf(type), 3)).toHaveLength(52 + v3Bytes);
  });

  it.each(['MD5', 'SHA1', 'SHA256', 'SHA384', 'SHA512', 'AES128', 'AES256'] as const)(
    'given a packet signed with its %s key, it verifies',
    (type) => {
      expect(verifyMac(appendMac(header(), keyOf(type)), keyOf(type), 4)).toEqual({ valid: true });
    },
  );

  it('accepts a full-length SHA256 digest in version 4 too (a server that does not truncate)', () => {
    expect(verifyMac(appendMac(header(), keyOf('SHA256'), 3), keyOf('SHA256'), 4)).toEqual({ valid: true });
  });

  it.each<[string, (signed: Buffer) => Buffer, string]>([
    ['no MAC', () => header(), 'mac-missing'],
    ['a crypto-NAK (key id 0, no digest)', () => Buffer.concat([header(), Buffer.alloc(4)]), 'crypto-nak'],
    ['a MAC cut to 2 bytes', (signed) => signed.subarray(0, 50), 'mac-truncated'],
    ['a digest cut to 10 bytes', (signed) => signed.subarray(0, 62), 'mac-truncated'],
    [
      'another key id',
      (signed) => {
        const copy = Buffer.from(signed);
        copy.writeUInt32BE(8, 48);
        return copy;
      },
      'mac-key-id-mismatch',
    ],
    [
      'the digest of another secret',
      () => appendMac(header(), { ...keyOf('SHA1'), secret: Buffer.alloc(16, 1) }),
      'mac-invalid',
    ],
    [
      'a header changed after signing',
      (signed) => {
        const copy = Buffer.from(signed);
        copy[40] = (copy[40] as number) ^ 1;
        return copy;
      },
      'mac-invalid',
    ],
    ['a digest of an unexpected length', (signed) => Buffer.concat([signed, Buffer.alloc(4)]), 'mac-invalid'],
  ])('given %s, the reply is refused with its reason', (_label, mangle, reason) => {
    const key = keyOf('SHA1');
    expect(verifyMac(mangle(appendMac(header(), key)), key, 4)).toMatchObject({ valid: false, reason });
  });
});
