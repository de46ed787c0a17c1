/**
 * Where the operator's password and the token-signing key come from, in order:
 * OPERATOR_PASSWORD_HASH / SECRET_KEY from the environment; outside production
 * OPERATOR_PASSWORD (plain, for tests and development); otherwise, on a first
 * start, a generated password and key kept in SECRETS_DIR (files mode 0600),
 * so `make dev` stays one command and no published default can sign tokens.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/environment';
import { isExampleSecret } from '../config/secret-settings';
import { hashPassword, parsePasswordHash, type PasswordHash } from './password-hash';

export const OPERATOR_USERNAME = 'operator';
export const GENERATED_PASSWORD_FILE = 'operator-password';
export const GENERATED_SECRET_FILE = 'secret-key';

export interface OperatorCredentials {
  readonly passwordHash: PasswordHash;
  readonly secretKey: string;
}

type Notice = (message: string) => void;

/** Reads the file if it exists, else creates it (exclusively, mode 0600) with `generate()`. */
const readOrCreateSecretFile = async (
  path: string,
  generate: () => string,
  notice: Notice,
): Promise<{ value: string; created: boolean }> => {
  try {
    await writeFile(path, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
    return { value: (await readFile(path, 'utf8')).trim(), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = (await stat(path)).mode & 0o777;
  if (mode & 0o077) {
    await chmod(path, 0o600);
    notice(`${path} was readable by others (mode ${mode.toString(8)}); set it to 600`);
  }
  const value = (await readFile(path, 'utf8')).trim();
  if (value === '') throw new Error(`${path} is empty; delete it to generate a new one`);
  return { value, created: false };
};

export const resolveOperatorCredentials = async (config: AppConfig, notice: Notice): Promise<OperatorCredentials> => {
  const directory = resolve(config.SECRETS_DIR);
  const ensureDirectory = () => mkdir(directory, { recursive: true, mode: 0o700 });

  let passwordHash: PasswordHash;
  if (config.OPERATOR_PASSWORD_HASH !== undefined) {
    passwordHash = parsePasswordHash(config.OPERATOR_PASSWORD_HASH)!;
  } else if (config.OPERATOR_PASSWORD !== undefined) {
    passwordHash = parsePasswordHash(await hashPassword(config.OPERATOR_PASSWORD))!;
  } else {
    await ensureDirectory();
    const file = join(directory, GENERATED_PASSWORD_FILE);
    const password = await readOrCreateSecretFile(file, () => randomBytes(18).toString('base64url'), notice);
    passwordHash = parsePasswordHash(await hashPassword(password.value))!;
    if (password.created) {
      notice(
        `operator sign-in: user "${OPERATOR_USERNAME}", password generated into ${file} (read it with: cat ${file}); ` +
          'set OPERATOR_PASSWORD_HASH to choose your own',
      );
    }
  }

  let secretKey: string;
  if (config.SECRET_KEY !== undefined && !isExampleSecret(config.SECRET_KEY)) {
    secretKey = config.SECRET_KEY;
  } else {
    await ensureDirectory();
    const file = join(directory, GENERATED_SECRET_FILE);
    if (config.SECRET_KEY !== undefined) {
      notice(`SECRET_KEY is the published example value; signing tokens with the generated key in ${file} instead`);
    }
    secretKey = (await readOrCreateSecretFile(file, () => randomBytes(48).toString('base64url'), notice)).value;
  }
  return { passwordHash, secretKey };
};
