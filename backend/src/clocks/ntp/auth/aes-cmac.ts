import { createCipheriv } from 'node:crypto';

/**
 * AES-CMAC (RFC 4493), the MAC RFC 8573 recommends for NTP symmetric keys.
 * node:crypto has no CMAC, but it is CBC-MAC over AES with the last block
 * masked by a subkey, so one AES-CBC pass with a zero IV computes it.
 */
const BLOCK_BYTES = 16;
/** R_128 of RFC 4493 §2.3: the reduction constant when doubling in GF(2^128). */
const R128 = 0x87;

const doubled = (block: Buffer): Buffer => {
  const result = Buffer.alloc(BLOCK_BYTES);
  for (let index = 0; index < BLOCK_BYTES; index += 1) {
    const next = index + 1 < BLOCK_BYTES ? (block[index + 1] as number) : 0;
    result[index] = (((block[index] as number) << 1) | (next >> 7)) & 0xff;
  }
  if (((block[0] as number) & 0x80) !== 0) result[BLOCK_BYTES - 1] = (result[BLOCK_BYTES - 1] as number) ^ R128;
  return result;
};

const cipherName = (key: Buffer): string => {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  throw new RangeError(`AES-CMAC needs a 16- or 32-byte key, got ${key.length} bytes`);
};

const cbcLastBlock = (key: Buffer, message: Buffer): Buffer => {
  const cipher = createCipheriv(cipherName(key), key, Buffer.alloc(BLOCK_BYTES));
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(message), cipher.final()]);
  return encrypted.subarray(encrypted.length - BLOCK_BYTES);
};

export const aesCmac = (key: Buffer, message: Buffer): Buffer => {
  const subkey1 = doubled(cbcLastBlock(key, Buffer.alloc(BLOCK_BYTES)));
  const subkey2 = doubled(subkey1);
  const complete = message.length > 0 && message.length % BLOCK_BYTES === 0;
  const blocks = Math.max(1, Math.ceil(message.length / BLOCK_BYTES));
  const padded = Buffer.alloc(blocks * BLOCK_BYTES);
  message.copy(padded);
  if (!complete) padded[message.length] = 0x80;
  const lastStart = (blocks - 1) * BLOCK_BYTES;
  const mask = complete ? subkey1 : subkey2;
  for (let index = 0; index < BLOCK_BYTES; index += 1) {
    padded[lastStart + index] = (padded[lastStart + index] as number) ^ (mask[index] as number);
  }
  return Buffer.from(cbcLastBlock(key, padded));
};
