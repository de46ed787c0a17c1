/**
 * NTP_SERVER values: `pool.ntp.org`, `pool.ntp.org:123`, `127.0.0.1:11123`,
 * `[::1]:11123` or a bare IPv6 address.
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
    super(`Invalid NTP server "${value}": ${detail} (expected host, host:port or [ipv6]:port)`);
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

export const formatNtpServerAddress = ({ host, port }: NtpServerAddress): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
