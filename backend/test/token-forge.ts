/** Hand-made JWTs for the refusal tests: expired, wrongly signed, `alg: none`, another HMAC size, another role. */
import { createHmac } from 'node:crypto';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const HMAC = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

export interface ForgeOptions {
  readonly secret: string;
  readonly alg: 'HS256' | 'HS384' | 'HS512' | 'none';
  readonly role?: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresInS?: number;
  readonly issuer?: string;
}

export const forgeToken = (options: ForgeOptions): string => {
  const nowS = Math.floor(Date.now() / 1000);
  const header = encode({ alg: options.alg, typ: 'JWT' });
  const payload = encode({
    sub: 'operator',
    role: options.role ?? 'operator',
    iat: nowS - 3600,
    exp: nowS + (options.expiresInS ?? 600),
    iss: options.issuer ?? 'ntp-reservation-lab',
  });
  if (options.alg === 'none') return `${header}.${payload}.`;
  const signature = createHmac(HMAC[options.alg], options.secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
};
