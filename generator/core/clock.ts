/**
 * Time and randomness are parameters (STYLE rule 3): model, plan, pki and render never read the
 * system clock or call Math.random; they receive a Clock and a RandomSource.
 */
import { randomBytes } from "node:crypto";

export interface Clock {
  now(): Date;
}

export interface RandomSource {
  /** n cryptographically strong random bytes (tests may pass a seeded source). */
  bytes(n: number): Uint8Array;
}

export const systemClock: Clock = { now: () => new Date() };

export const systemRandom: RandomSource = { bytes: (n) => new Uint8Array(randomBytes(n)) };

export function fixedClock(iso: string): Clock {
  const t = new Date(iso);
  return { now: () => new Date(t.getTime()) };
}
