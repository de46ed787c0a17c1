/**
 * Operator passwords at rest: scrypt (RFC 7914) from Node's crypto, in one
 * self-describing string `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`,
 * so the cost can be raised later without breaking stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordHash {
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** N = 2^15, r = 8, p = 1: ~40 ms and 32 MiB per check here; OWASP's minimum for scrypt is 2^17 with p=1 or 2^15 with more memory. */
const DEFAULTS = { cost: 2 ** 15, blockSize: 8, parallelization: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const PREFIX = 'scrypt';

const scryptAsync = (password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

const optionsOf = (hash: Pick<PasswordHash, 'cost' | 'blockSize' | 'parallelization'>): ScryptOptions => ({
  N: hash.cost,
  r: hash.blockSize,
  p: hash.parallelization,
  // Node's default 32 MiB cap is exactly 128·N·r for N=2^15, r=8; leave room.
  maxmem: 256 * hash.cost * hash.blockSize + 1024 * 1024,
});

const isPowerOfTwo = (value: number): boolean => value > 1 && (value & (value - 1)) === 0;

/** Null when the string is not one this module writes. */
export const parsePasswordHash = (encoded: string): PasswordHash | null => {
  const parts = encoded.trim().split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [cost, blockSize, parallelization] = parts
    .slice(1, 4)
    .map((part) => (/^\d{1,8}$/.test(part) ? Number(part) : NaN));
  const salt = Buffer.from(parts[4]!, 'base64url');
  const hash = Buffer.from(parts[5]!, 'base64url');
  if (cost === undefined || blockSize === undefined || parallelization === undefined) return null;
  if (!isPowerOfTwo(cost) || cost > 2 ** 20 || blockSize < 1 || blockSize > 32) return null;
  if (parallelization < 1 || parallelization > 16 || salt.length < 8 || hash.length < 16) return null;
  return { cost, blockSize, parallelization, salt, hash };
};

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, optionsOf(DEFAULTS));
  return [
    PREFIX,
    DEFAULTS.cost,
    DEFAULTS.blockSize,
    DEFAULTS.parallelization,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
};

/** Constant-time comparison of the derived key; a malformed stored hash never matches. */
export const verifyPassword = async (password: string, stored: PasswordHash): Promise<boolean> => {
  const candidate = await scryptAsync(password, stored.salt, stored.hash.length, optionsOf(stored));
  return timingSafeEqual(candidate, stored.hash);
};
