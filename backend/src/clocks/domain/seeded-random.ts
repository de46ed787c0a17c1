/**
 * Deterministic randomness for the lab: every random value in a scenario run
 * comes from a seed, so re-running a run on the same seed reproduces it.
 * Pure: no Math.random, no global state (each generator owns its state).
 */

/** Returns a float uniformly distributed in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): tiny, fast and good enough
 * for simulation (not for cryptography). Same seed → same sequence.
 */
export const createSeededRandom = (seed: number): RandomSource => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * Folds any mix of strings and numbers into a 32-bit seed (FNV-1a), so a
 * sub-stream can be derived per server ("seed 42, server-3") and stays the
 * same whatever the other servers are.
 */
export const deriveSeed = (...parts: ReadonlyArray<string | number>): number => {
  let hash = 0x811c9dc5;
  const text = parts.map(String).join('\u0000');
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** Uniform float in [min, max). */
export const uniformBetween = (random: RandomSource, min: number, max: number): number => min + (max - min) * random();

/** Uniform jitter in [−jitterMs, +jitterMs); 0 when the clock has no jitter. */
export const sampleJitterMs = (random: RandomSource, jitterMs: number): number =>
  jitterMs === 0 ? 0 : uniformBetween(random, -jitterMs, jitterMs);
