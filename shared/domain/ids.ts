// Integer ids: unique within an account (writes use attribute_not_exists), increasing with creation time,
// and below 2^53 so they stay exact as JSON numbers.
import { randomInt } from 'node:crypto';

export const SLOTS_PER_MILLISECOND = 1000;

/** A new id for the given time: milliseconds since the epoch, times 1000, plus a random slot. */
export function newId(nowMs: number = Date.now()): number {
  return nowMs * SLOTS_PER_MILLISECOND + randomInt(SLOTS_PER_MILLISECOND);
}

/** The largest id there can be: ids stay below 2^53. */
const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * The smallest and largest id made within a millisecond: a time range is an id range. Both are clamped to
 * the id space, so that a range reaching past it stays a valid, ordered range: a start after the last id
 * (MAX_ID + 1) is after every id, an end after it covers every id up to MAX_ID, and an end before the epoch
 * (-1) is before every id. Unclamped, a far-future time gives an id past 2^53 whose 17-digit sort key
 * compares wrongly with the 16-digit keys.
 */
export const firstIdAt = (ms: number) => Math.min(Math.max(ms * SLOTS_PER_MILLISECOND, 0), MAX_ID + 1);
export const lastIdAt = (ms: number) => Math.max(Math.min(ms * SLOTS_PER_MILLISECOND + SLOTS_PER_MILLISECOND - 1, MAX_ID), -1);

/** Parses a path or JSON id: a positive decimal integer without sign or leading zeros, below 2^53. */
export function parseId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}
