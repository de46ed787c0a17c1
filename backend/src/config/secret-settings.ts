import type { z } from 'zod';

/** HMAC algorithms only: `none` and the asymmetric ones are refused at start. */
export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** 32 characters: a key an attacker cannot brute-force offline from one captured token. */
export const MIN_SECRET_KEY_LENGTH = 32;

/** Values published in this repository (backend/.env.example, old defaults): anyone could sign with them. */
const EXAMPLE_SECRETS = new Set(['dev-secret-change-me', 'change-me', 'changeme']);

export const isExampleSecret = (value: string): boolean => EXAMPLE_SECRETS.has(value.trim().toLowerCase());

export const isProduction = (nodeEnv: string | undefined): boolean => nodeEnv === 'production';

/**
 * In production nothing is generated: a missing or example SECRET_KEY, or no
 * OPERATOR_PASSWORD_HASH, stops the process naming the variable (never its value).
 */
export const checkProductionSecrets = (
  settings: {
    readonly NODE_ENV?: string | undefined;
    readonly SECRET_KEY?: string | undefined;
    readonly OPERATOR_PASSWORD_HASH?: string | undefined;
    readonly OPERATOR_PASSWORD?: string | undefined;
  },
  context: z.RefinementCtx,
): void => {
  if (!isProduction(settings.NODE_ENV)) return;
  const secret = settings.SECRET_KEY;
  if (secret === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['SECRET_KEY'],
      message: `must be set in production (at least ${MIN_SECRET_KEY_LENGTH} random characters)`,
    });
  } else if (isExampleSecret(secret)) {
    context.addIssue({
      code: 'custom',
      path: ['SECRET_KEY'],
      message: 'is the published example value; set your own random key in production',
    });
  }
  if (settings.OPERATOR_PASSWORD_HASH === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['OPERATOR_PASSWORD_HASH'],
      message:
        'must be set in production (make one with `npm run -w backend hash-password`); OPERATOR_PASSWORD is for development and tests only',
    });
  }
};
