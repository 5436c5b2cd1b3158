// Answers whose timing must not tell what a request found: the answer, or the error, is held back until a
// fixed time after the work started, so quick and slow outcomes leave at the same moment.
import { setTimeout as sleep } from 'node:timers/promises';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `work` and settles with its result no sooner than `floorMs` after it started. */
export async function noSoonerThan<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const outcome = await work().then(
    (value): Outcome<T> => ({ ok: true, value }),
    (error: unknown): Outcome<T> => ({ ok: false, error }),
  );
  const left = started + floorMs - Date.now();
  if (left > 0) await sleep(left);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
