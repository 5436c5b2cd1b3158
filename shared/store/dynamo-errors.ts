// How DynamoDB failures are told apart and retried, for every module that calls DynamoDB: what is worth
// another attempt, the backoff between attempts, and which failures a client should see as 503.
import { DeadlineExceededError, timeLeftMs } from '../domain/deadline';
import { ServiceUnavailableError } from '../domain/errors';

/** Per-item codes of a cancelled transaction that a later attempt may not meet: conflicts and throttling. */
export const RETRYABLE_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Errors of a whole request that a later attempt may not meet. */
export const RETRYABLE_ERRORS = new Set([
  'TransactionConflictException',
  'TransactionInProgressException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Full jitter: a random wait below an exponentially growing cap. Within an invocation's deadline
 * (deadline.ts) a wait that would end after it is not started: the retry could not finish in time, so
 * the caller gets its 503 now.
 */
export async function backoff(attempt: number): Promise<void> {
  const wait = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  if (wait >= timeLeftMs()) throw new DeadlineExceededError();
  await sleep(wait);
}

export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : (error as { name?: string } | undefined)?.name;
}

/**
 * What the SDK throws becomes ServiceUnavailable (503, retry later): throttling, server faults, timeouts and
 * network failures alike. Only a client fault that is not throttling — a request this code built wrong —
 * stays as it is, to surface as a 500 and be fixed.
 */
export function asServiceUnavailable(error: unknown): Error {
  const { name, $fault } = (error ?? {}) as { name?: string; $fault?: string };
  if ($fault === 'client' && !RETRYABLE_ERRORS.has(name ?? '')) return error as Error;
  // The call was cut at the invocation's deadline (deadline.ts): say so in the 503's log line.
  if (name === 'AbortError') return new DeadlineExceededError();
  return new ServiceUnavailableError();
}

/** A read: a DynamoDB outage surfaces as ServiceUnavailable, not as a 500. */
export async function guard<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw asServiceUnavailable(error);
  }
}
