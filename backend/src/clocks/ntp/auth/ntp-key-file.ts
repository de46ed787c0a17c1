import { readFileSync } from 'node:fs';
import {
  MAX_NTP_KEY_ID,
  NTP_KEY_TYPES,
  REQUIRED_SECRET_BYTES,
  isNtpKeyType,
  type NtpKeyType,
  type NtpSymmetricKey,
} from './ntp-symmetric-key';

/**
 * chrony's `keyfile` format, one key a line: `<id> [<type>] <key>`, the type
 * defaulting to MD5, the key `HEX:<hex digits>`, `ASCII:<text>` or plain
 * text. Lines starting with `#`, `!`, `;` or `%` are comments (as chrony's
 * config parser treats them). The same file can serve chronyd and the lab.
 */
export class NtpKeyFileError extends Error {
  override readonly name = 'NtpKeyFileError';

  constructor(
    message: string,
    /** Which setting is wrong: the file (unreadable, malformed) or the key id (not in it). */
    readonly concerns: 'key-file' | 'key-id' = 'key-file',
  ) {
    super(message);
  }
}

const COMMENT_START = /^[#!;%]/;

const parseSecret = (text: string, where: string): Buffer => {
  if (/^HEX:/i.test(text)) {
    const hex = text.slice(4);
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(hex)) {
      throw new NtpKeyFileError(`${where}: HEX key must be an even number of hex digits`);
    }
    return Buffer.from(hex, 'hex');
  }
  const ascii = /^ASCII:/i.test(text) ? text.slice(6) : text;
  if (ascii.length === 0) throw new NtpKeyFileError(`${where}: empty key`);
  return Buffer.from(ascii, 'latin1');
};

const parseKeyId = (text: string, where: string): number => {
  const id = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(id) || id < 1 || id > MAX_NTP_KEY_ID) {
    throw new NtpKeyFileError(`${where}: key id "${text}" is not in 1–${MAX_NTP_KEY_ID}`);
  }
  return id;
};

const parseType = (text: string | undefined, where: string): NtpKeyType => {
  if (text === undefined) return 'MD5';
  const upper = text.toUpperCase();
  if (!isNtpKeyType(upper)) {
    throw new NtpKeyFileError(`${where}: unsupported key type "${text}" (supported: ${NTP_KEY_TYPES.join(', ')})`);
  }
  return upper;
};

export const parseNtpKeyFile = (content: string): Map<number, NtpSymmetricKey> => {
  const keys = new Map<number, NtpSymmetricKey>();
  content.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || COMMENT_START.test(line)) return;
    const where = `line ${index + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length < 2 || fields.length > 3) {
      throw new NtpKeyFileError(`${where}: expected "<id> [<type>] <key>"`);
    }
    const id = parseKeyId(fields[0] as string, where);
    const type = parseType(fields.length === 3 ? fields[1] : undefined, where);
    const secret = parseSecret(fields[fields.length - 1] as string, where);
    const required = REQUIRED_SECRET_BYTES[type];
    if (required !== undefined && secret.length !== required) {
      throw new NtpKeyFileError(`${where}: an ${type} key must be ${required} bytes, got ${secret.length}`);
    }
    if (keys.has(id)) throw new NtpKeyFileError(`${where}: key id ${id} is defined twice`);
    keys.set(id, { id, type, secret });
  });
  return keys;
};

/** Reads NTP_KEY_FILE and picks NTP_KEY_ID; every failure is an NtpKeyFileError saying what is wrong. */
export const loadNtpKey = (path: string, keyId: number): NtpSymmetricKey => {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new NtpKeyFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const key = parseNtpKeyFile(content).get(keyId);
  if (!key) throw new NtpKeyFileError(`${path} has no key with id ${keyId}`, 'key-id');
  return key;
};
