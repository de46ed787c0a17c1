import { z } from 'zod';
import { checkNtpKeySettings } from './ntp-key-settings';
import { DEFAULT_MAX_CHANGE_MS, DEFAULT_MAX_SLEW_PPM, DEFAULT_PANIC_THRESHOLD_S } from '../clocks/ntp/ntp-defaults';
import { MAX_NTP_KEY_ID } from '../clocks/ntp/auth/ntp-symmetric-key';
import { parseNtpServerList } from '../clocks/ntp/ntp-server-address';
import { parsePasswordHash } from '../auth/password-hash';
import { checkProductionSecrets, isExampleSecret, JWT_ALGORITHMS, MIN_SECRET_KEY_LENGTH } from './secret-settings';
import { CLOCK_SOURCES } from '../clocks/domain/clock-source';
import { checkClusterSettings } from './cluster-settings-check';
import { parseTrustProxy } from './trust-proxy-setting';
import { DEFAULT_RUN_MAX_ATTEMPTS, MAX_RUN_ATTEMPTS } from '../simulation-runs/domain/run-parameters';

/**
 * The validated configuration. Names are the seed's environment variables;
 * a wrong value stops the process with a message naming the variable.
 */
const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalUrl = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const integerInRange = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ message: 'must be an integer' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

const isNtpServerList = (value: string): boolean => {
  try {
    parseNtpServerList(value);
    return true;
  } catch {
    return false;
  }
};

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const NODE_NAME_RULE = 'must be 1-63 letters, digits, ".", "_" or "-"';
const HOSTED_LIST = /^server-[1-9][0-9]*(\s*,\s*server-[1-9][0-9]*)*$/;
const HOSTED_LIST_RULE = 'must be a comma-separated list of booking servers, e.g. server-1,server-2';

/** An empty value (`NTP_KEY_ID=` in a .env file) means unset. */
const emptyAsUnset = (value: unknown): unknown => (value === '' ? undefined : value);

const environmentFields = z.object({
  PORT: integerInRange(0, 65535).default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  EVENTSTORE_CONNECTION_STRING: optionalUrl(['esdb', 'esdb+discover', 'kurrentdb']),
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  NODE_ENV: z.preprocess(emptyAsUnset, z.string().trim().optional()),
  /**
   * Signs operator tokens. Unset (or the example value) outside production: a random key is
   * generated once and kept in SECRETS_DIR. In production: required, at least 32 characters.
   */
  SECRET_KEY: z
    .string()
    .min(1, { message: 'must not be empty' })
    .optional()
    .refine((value) => value === undefined || isExampleSecret(value) || value.length >= MIN_SECRET_KEY_LENGTH, {
      message: `is too weak: use at least ${MIN_SECRET_KEY_LENGTH} random characters`,
    }),
  ALGORITHM: z.enum(JWT_ALGORITHMS, { error: `must be one of ${JWT_ALGORITHMS.join(', ')}` }).default('HS256'),
  ACCESS_TOKEN_EXPIRE_MINUTES: integerInRange(1, 7 * 24 * 60).default(30),
  /** The operator's password as an scrypt hash (`npm run -w backend hash-password`). */
  OPERATOR_PASSWORD_HASH: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .trim()
      .refine((value) => parsePasswordHash(value) !== null, {
        message: 'must be a hash made by `npm run -w backend hash-password` (scrypt$…)',
      })
      .optional(),
  ),
  /** The operator's password in plain text: development and tests only (refused in production). */
  OPERATOR_PASSWORD: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  /** Where a generated operator password and secret key are kept (files mode 0600). */
  SECRETS_DIR: z.string().min(1).default('.data'),
  /** Origins allowed to call the API from a browser (comma-separated); unset: no cross-origin access. */
  CORS_ORIGINS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .optional()
      .transform((value) =>
        value === undefined
          ? []
          : value
              .split(',')
              .map((origin) => origin.trim())
              .filter((origin) => origin !== ''),
      )
      .refine((origins) => origins.every((origin) => /^https?:\/\/[^/\s]+$/.test(origin)), {
        message: 'must be origins like https://lab.example.org, comma-separated (no path, no wildcard)',
      }),
  ),
  /** Proxies whose X-Forwarded-For names the client (trust-proxy-setting.ts); unset: none. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw, context) => {
      const parsed = parseTrustProxy(raw);
      if ('error' in parsed) {
        context.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.value;
    }),
  /** Writes (every method but GET/HEAD/OPTIONS) one client address may send per minute; beyond: 429. */
  WRITE_RATE_LIMIT_PER_MINUTE: integerInRange(1, 10_000_000).default(1200),
  /** Wrong operator passwords one client address may try per LOGIN_WINDOW_S; beyond: 429 until the window passes. */
  LOGIN_MAX_FAILURES: integerInRange(1, 1000).default(5),
  LOGIN_WINDOW_S: integerInRange(1, 86400).default(900),
  NTP_SERVER: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .default('pool.ntp.org')
    .refine(isNtpServerList, {
      message: 'must be host, host:port or [ipv6]:port, several separated by commas (each once, at most 16)',
    }),
  NTP_TIMEOUT_MS: integerInRange(50, 30000).default(2000),
  NTP_PANIC_THRESHOLD_S: integerInRange(1, 1_000_000_000).default(DEFAULT_PANIC_THRESHOLD_S),
  NTP_MAX_CHANGE_MS: integerInRange(1, 1_000_000_000).default(DEFAULT_MAX_CHANGE_MS),
  NTP_MAX_SLEW_PPM: integerInRange(1, 100_000).default(DEFAULT_MAX_SLEW_PPM),
  NTP_KEY_ID: z.preprocess(emptyAsUnset, integerInRange(1, MAX_NTP_KEY_ID).optional()),
  NTP_KEY_FILE: z.preprocess(emptyAsUnset, z.string().trim().min(1).optional()),
  TIME_SYNC_INTERVAL: integerInRange(1, 86400).default(60),
  /**
   * simulated (default): each booking server is a clock model synced by a computed exchange.
   * real: the booking servers this process hosts run on its own wall clock (skew it with libfaketime)
   * and sync with a real SNTP exchange against NTP_SERVER (docs/real-clocks.md).
   */
  CLOCK_SOURCE: z.enum(CLOCK_SOURCES, { error: `must be one of ${CLOCK_SOURCES.join(', ')}` }).default('simulated'),
  MAX_SEATS: integerInRange(1, 100000).default(100),
  BOOKING_SERVERS: integerInRange(1, 50).default(5),
  /** After its first attempt, how long a seat's window stays open (see docs/resolution.md). */
  CONFLICT_WINDOW_MS: integerInRange(1, 600000).default(2000),
  /** How long after the window closes the authority still waits for attempts on their way to the log. */
  SETTLEMENT_GRACE_MS: integerInRange(0, 60000).default(250),
  SIMULATION_ENABLED: booleanFromString.default(true),
  /** Built web console to serve at /; default dist/frontend next to the compiled backend. */
  CONSOLE_DIR: z.string().min(1).optional(),
  /** Live streams (SSE) open at once, over all clients; beyond it a new one gets 503. */
  SSE_MAX_STREAMS: integerInRange(1, 100000).default(2000),
  /** Live streams open at once from one remote address; beyond it a new one gets 429. */
  SSE_MAX_STREAMS_PER_CLIENT: integerInRange(1, 100000).default(20),
  /** Attempts one seeded run may have (seats × attempts_per_seat); a bigger request gets 400. */
  RUN_MAX_ATTEMPTS: integerInRange(1, MAX_RUN_ATTEMPTS).default(DEFAULT_RUN_MAX_ATTEMPTS),
  /** Seeded runs queued or running at once (one runs at a time); beyond it a new one gets 429. */
  RUN_QUEUE_MAX: integerInRange(1, 1000).default(4),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * PostgreSQL log: one-event appends to new streams that arrive together share one statement
   * and commit (each still acknowledged only after it). off: one statement per append, for comparison.
   */
  APPEND_GROUP_COMMIT: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  /**
   * on: this process is one node of several sharing one log and one read model on a PostgreSQL
   * server (one projection runner at a time by lease, live changes over LISTEN/NOTIFY). See docs/cluster.md.
   */
  CLUSTER_MODE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
  /** This node's name in the cluster (default: host name and pid). */
  CLUSTER_NODE_NAME: z.preprocess(emptyAsUnset, z.string().trim().regex(NODE_NAME, NODE_NAME_RULE).optional()),
  /** Where clients reach this node, told to clients sent here for a booking server hosted elsewhere. */
  CLUSTER_NODE_URL: z.preprocess(emptyAsUnset, optionalUrl(['http', 'https'])),
  /** The booking servers this node hosts, e.g. server-1,server-2 (default: all of them). */
  BOOKING_SERVERS_HOSTED: z.preprocess(emptyAsUnset, z.string().trim().regex(HOSTED_LIST, HOSTED_LIST_RULE).optional()),
});

/** Field checks, then the checks across fields. */
export const environmentSchema = environmentFields
  .superRefine(checkNtpKeySettings)
  .superRefine(checkProductionSecrets)
  .superRefine(checkClusterSettings);

export type AppConfig = z.infer<typeof environmentSchema>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Secrets are never echoed back, not even in the message that refuses them. */
const SECRET_VARIABLES = new Set(['SECRET_KEY', 'OPERATOR_PASSWORD', 'OPERATOR_PASSWORD_HASH']);

const shownValue = (name: string, env: NodeJS.ProcessEnv): string => {
  const value = env[name];
  if (!SECRET_VARIABLES.has(name) || value === undefined || value === '') return JSON.stringify(value);
  return `a value of ${value.length} characters, not shown`;
};

/** Parses the environment; throws a ConfigurationError naming every wrong variable. */
export const loadConfig = (env: NodeJS.ProcessEnv): AppConfig => {
  const result = environmentSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.')}: ${issue.message} (got ${shownValue(String(issue.path[0]), env)})`,
  );
  throw new ConfigurationError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
};
