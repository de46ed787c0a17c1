/**
 * NTP_SERVER values: one source or several separated by commas, each
 * `pool.ntp.org`, `pool.ntp.org:123`, `127.0.0.1:11123`, `[::1]:11123` or a
 * bare IPv6 address.
 */
export interface NtpServerAddress {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_NTP_PORT = 123;

export class InvalidNtpServerError extends Error {
  constructor(
    readonly value: string,
    detail: string,
  ) {
    super(
      `Invalid NTP server "${value}": ${detail} (expected host, host:port or [ipv6]:port, several separated by commas)`,
    );
    this.name = 'InvalidNtpServerError';
  }
}

const parsePort = (value: string, text: string): number => {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new InvalidNtpServerError(value, `port "${text}" is not in 1–65535`);
  }
  return Number(text);
};

export const parseNtpServerAddress = (value: string): NtpServerAddress => {
  const trimmed = value.trim();
  if (trimmed === '') throw new InvalidNtpServerError(value, 'empty');
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(trimmed);
  if (bracketed) {
    return {
      host: bracketed[1] as string,
      port: bracketed[2] === undefined ? DEFAULT_NTP_PORT : parsePort(value, bracketed[2]),
    };
  }
  const colons = trimmed.split(':').length - 1;
  if (colons > 1) return { host: trimmed, port: DEFAULT_NTP_PORT }; // bare IPv6
  const [host, port] = trimmed.split(':') as [string, string | undefined];
  if (host === '' || /\s/.test(host)) throw new InvalidNtpServerError(value, 'missing or malformed host');
  return { host, port: port === undefined ? DEFAULT_NTP_PORT : parsePort(value, port) };
};

/** Upper bound on NTP_SERVER entries: each sync queries every source in parallel. */
export const MAX_NTP_SOURCES = 16;

/** A comma-separated NTP_SERVER list; throws InvalidNtpServerError on the first bad entry or a duplicate. */
export const parseNtpServerList = (value: string): NtpServerAddress[] => {
  const entries = value.split(',');
  if (entries.length > MAX_NTP_SOURCES) {
    throw new InvalidNtpServerError(value, `more than ${MAX_NTP_SOURCES} sources`);
  }
  const addresses = entries.map((entry) => parseNtpServerAddress(entry));
  const seen = new Set<string>();
  for (const address of addresses) {
    const formatted = formatNtpServerAddress(address);
    if (seen.has(formatted)) throw new InvalidNtpServerError(value, `${formatted} is listed twice`);
    seen.add(formatted);
  }
  return addresses;
};

export const formatNtpServerAddress = ({ host, port }: NtpServerAddress): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
