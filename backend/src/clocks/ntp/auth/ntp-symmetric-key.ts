/**
 * A symmetric key as chrony's `keyfile` holds it (RFC 5905 §7.3 key id +
 * digest; RFC 8573 AES-CMAC). Hash types compute H(key ‖ packet), the legacy
 * NTP MAC that chrony and ntpd use; AES types compute AES-CMAC(key, packet).
 */
export const NTP_KEY_TYPES = ['MD5', 'SHA1', 'SHA256', 'SHA384', 'SHA512', 'AES128', 'AES256'] as const;
export type NtpKeyType = (typeof NTP_KEY_TYPES)[number];

export interface NtpSymmetricKey {
  /** 1 … 2^32 − 1 (0 is the crypto-NAK's key id). */
  readonly id: number;
  readonly type: NtpKeyType;
  readonly secret: Buffer;
}

export const MAX_NTP_KEY_ID = 0xffff_ffff;

/** Full digest length of each type, in bytes. */
export const DIGEST_BYTES: Readonly<Record<NtpKeyType, number>> = {
  MD5: 16,
  SHA1: 20,
  SHA256: 32,
  SHA384: 48,
  SHA512: 64,
  AES128: 16,
  AES256: 16,
};

/** AES keys have a fixed length; hash keys may be any length. */
export const REQUIRED_SECRET_BYTES: Readonly<Partial<Record<NtpKeyType, number>>> = { AES128: 16, AES256: 32 };

export const isNtpKeyType = (value: string): value is NtpKeyType =>
  (NTP_KEY_TYPES as readonly string[]).includes(value);
