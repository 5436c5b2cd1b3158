// The deadline of one invocation, shared by everything it calls: `withDeadline` runs a Lambda invocation
// (the authorizer, every route handler through apiHandler) with an AbortSignal that fires when its time is
// up. The DynamoDB client reads it on every call (shared/store/dynamodb-client.ts), so a call in flight is aborted and
// no SDK retry starts after the deadline; the store's own retry loops ask `timeLeftMs` before waiting for
// another attempt. One budget for all of them, without passing a signal through every call site.
// AsyncLocalStorage carries the deadline along the invocation's promises and timers, and keeps concurrent
// invocations in one process (the local emulator) apart.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ServiceUnavailableError } from './errors';

interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly signal: AbortSignal;
}

const current = new AsyncLocalStorage<Deadline>();

/** What an aborted call reports as the abort's reason. */
export class DeadlineExceededError extends ServiceUnavailableError {
  constructor() {
    super('The invocation deadline passed before DynamoDB answered; retry shortly.');
  }
}

/**
 * Runs `fn` with a deadline `ms` from now. Nested, the earlier deadline wins: an inner call can never
 * extend its invocation's budget.
 */
export async function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const at = Date.now() + ms;
  const outer = current.getStore();
  if (outer && outer.at <= at) return fn();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError()), ms);
  try {
    return await current.run({ at, signal: controller.signal }, fn);
  } finally {
    // Nothing of this invocation outlives it (a frozen Lambda sandbox would fire it in the next one).
    clearTimeout(timer);
  }
}

/** The current invocation's abort signal; undefined outside a deadline (the CLI, tests, scripts). */
export function deadlineSignal(): AbortSignal | undefined {
  return current.getStore()?.signal;
}

/** Milliseconds until the deadline (0 once passed); Infinity outside a deadline. */
export function timeLeftMs(): number {
  const deadline = current.getStore();
  if (!deadline) return Infinity;
  return deadline.signal.aborted ? 0 : Math.max(0, deadline.at - Date.now());
}

/** Throws DeadlineExceededError (a 503) once the deadline has passed: no further attempt may start. */
export function assertTimeLeft(): void {
  if (timeLeftMs() === 0) throw new DeadlineExceededError();
}
