/** Flag parsers that refuse negative, fractional or absurd values with a usage error naming the flag. */
import { InvalidArgumentError } from 'commander';

export const integerIn =
  (min: number, max: number) =>
  (raw: string): number => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
      throw new InvalidArgumentError(`must be a whole number, got "${raw}"`);
    }
    if (value < min || value > max) throw new InvalidArgumentError(`must be between ${min} and ${max}, got ${value}`);
    return value;
  };

export const numberIn =
  (min: number, max: number) =>
  (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`must be a number, got "${raw}"`);
    if (value < min || value > max) throw new InvalidArgumentError(`must be between ${min} and ${max}, got ${value}`);
    return value;
  };

/** "0..30" or "0:30" → [0, 30]. */
export const rangeIn =
  (min: number, max: number) =>
  (raw: string): [number, number] => {
    const match = /^\s*(-?[\d.]+)\s*(?:\.\.|:)\s*(-?[\d.]+)\s*$/.exec(raw);
    const from = Number(match?.[1]);
    const to = Number(match?.[2]);
    if (!match || !Number.isFinite(from) || !Number.isFinite(to) || from > to) {
      throw new InvalidArgumentError(`must be a range like 0..30, got "${raw}"`);
    }
    if (from < min || to > max) throw new InvalidArgumentError(`must stay within ${min}..${max}, got ${raw}`);
    return [from, to];
  };

/** Repeatable `server=value` flags (server may be "*" for every server). */
export const collectServerValues =
  (parse: (raw: string) => number) =>
  (raw: string, previous: Record<string, number> = {}): Record<string, number> => {
    const match = /^([\w*-]+)=(.+)$/.exec(raw.trim());
    if (!match) throw new InvalidArgumentError(`must look like server-1=VALUE or *=VALUE, got "${raw}"`);
    return { ...previous, [match[1]!]: parse(match[2]!) };
  };

/** Repeatable `server=OUT/IN` one-way delays in ms. */
export const collectDelays = (
  raw: string,
  previous: Record<string, [number, number]> = {},
): Record<string, [number, number]> => {
  const match = /^([\w*-]+)=(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(raw.trim());
  if (!match) throw new InvalidArgumentError(`must look like server-1=OUT/IN (ms), got "${raw}"`);
  const out = Number(match[2]);
  const back = Number(match[3]);
  if (out > 60_000 || back > 60_000) throw new InvalidArgumentError('delays must be at most 60000 ms');
  return { ...previous, [match[1]!]: [out, back] };
};
