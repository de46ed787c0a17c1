import { createHash, timingSafeEqual } from 'node:crypto';
import { aesCmac } from './aes-cmac';
import { DIGEST_BYTES, type NtpSymmetricKey } from './ntp-symmetric-key';

/**
 * The MAC trailer of an NTP packet: a 4-byte key id, then the digest of
 * everything before it (RFC 5905 §7.3, Figure 8).
 *
 * RFC 7822 caps the MAC of an NTPv4 packet at 24 bytes (key id + 20) so that
 * it cannot be mistaken for an extension field; chrony therefore truncates
 * longer digests (SHA256 and up) to 20 bytes in version 4 packets and we do
 * the same. Version 3 packets carry the full digest.
 */
export const NTP_HEADER_BYTES = 48;
const KEY_ID_BYTES = 4;
const MAX_V4_DIGEST_BYTES = 20;

export type MacFailureReason = 'mac-missing' | 'mac-truncated' | 'mac-key-id-mismatch' | 'mac-invalid' | 'crypto-nak';

export type MacVerdict =
  { readonly valid: true } | { readonly valid: false; readonly reason: MacFailureReason; readonly detail: string };

export const digestBytesFor = (key: NtpSymmetricKey, version: number): number =>
  version === 4 ? Math.min(DIGEST_BYTES[key.type], MAX_V4_DIGEST_BYTES) : DIGEST_BYTES[key.type];

const fullDigest = (key: NtpSymmetricKey, data: Buffer): Buffer => {
  switch (key.type) {
    case 'AES128':
    case 'AES256':
      return aesCmac(key.secret, data);
    case 'MD5':
    case 'SHA1':
    case 'SHA256':
    case 'SHA384':
    case 'SHA512':
      return createHash(key.type.toLowerCase()).update(key.secret).update(data).digest();
  }
};

export const computeDigest = (key: NtpSymmetricKey, data: Buffer, version: number): Buffer =>
  fullDigest(key, data).subarray(0, digestBytesFor(key, version));

/** `packet` followed by the key id and its digest. */
export const appendMac = (packet: Buffer, key: NtpSymmetricKey, version = 4): Buffer => {
  const keyId = Buffer.alloc(KEY_ID_BYTES);
  keyId.writeUInt32BE(key.id);
  return Buffer.concat([packet, keyId, computeDigest(key, packet, version)]);
};

const failure = (reason: MacFailureReason, detail: string): MacVerdict => ({ valid: false, reason, detail });

/**
 * Checks the MAC after the 48-byte header against `key`. A reply may carry
 * the digest truncated to 20 bytes (what chrony sends in version 4) or in
 * full; anything shorter is a truncated MAC.
 */
export const verifyMac = (packet: Buffer, key: NtpSymmetricKey, version: number): MacVerdict => {
  const trailer = packet.subarray(NTP_HEADER_BYTES);
  if (trailer.length === 0) return failure('mac-missing', 'carries no MAC');
  if (trailer.length === KEY_ID_BYTES && trailer.readUInt32BE(0) === 0) {
    return failure('crypto-nak', 'is a crypto-NAK (the server could not authenticate our request)');
  }
  if (trailer.length < KEY_ID_BYTES) return failure('mac-truncated', `has a ${trailer.length}-byte MAC field`);
  const keyId = trailer.readUInt32BE(0);
  if (keyId !== key.id) return failure('mac-key-id-mismatch', `is signed with key id ${keyId}, not ${key.id}`);
  const digest = trailer.subarray(KEY_ID_BYTES);
  const expected = fullDigest(key, packet.subarray(0, NTP_HEADER_BYTES));
  const acceptedLengths = new Set([digestBytesFor(key, version), expected.length]);
  if (digest.length < Math.min(...acceptedLengths)) {
    return failure(
      'mac-truncated',
      `has a ${digest.length}-byte ${key.type} digest (expected ${[...acceptedLengths].join(' or ')})`,
    );
  }
  if (!acceptedLengths.has(digest.length)) {
    return failure('mac-invalid', `has a ${digest.length}-byte digest, not a ${key.type} one`);
  }
  const matches = timingSafeEqual(digest, expected.subarray(0, digest.length));
  return matches ? { valid: true } : failure('mac-invalid', `has a ${key.type} digest that does not verify`);
};
