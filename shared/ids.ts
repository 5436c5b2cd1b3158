// Integer ids: unique within an account (writes use attribute_not_exists), increasing with creation time,
// and below 2^53 so they stay exact as JSON numbers.
import { randomInt } from 'node:crypto';

const SLOTS_PER_MILLISECOND = 1000;

/** A new id for the given time: milliseconds since the epoch, times 1000, plus a random slot. */
export function newId(nowMs: number = Date.now()): number {
  return nowMs * SLOTS_PER_MILLISECOND + randomInt(SLOTS_PER_MILLISECOND);
}

/** The smallest and largest id made within a millisecond: a time range is an id range. */
export const firstIdAt = (ms: number) => ms * SLOTS_PER_MILLISECOND;
export const lastIdAt = (ms: number) => ms * SLOTS_PER_MILLISECOND + SLOTS_PER_MILLISECOND - 1;

/** Parses a path or JSON id: a positive decimal integer without sign or leading zeros, below 2^53. */
export function parseId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}
