// Optimistic concurrency: read, decide, write with a version condition; on a lost race, read again.
import { assertTimeLeft } from './deadline';
import { ServiceUnavailableError, StaleWriteError } from './errors';

const MAX_OPTIMISTIC_ATTEMPTS = 10;

export async function withOptimisticRetry<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      if (attempt >= MAX_OPTIMISTIC_ATTEMPTS) throw new ServiceUnavailableError('Too many concurrent changes; retry shortly.');
      // Another read-decide-write round only while the invocation's deadline leaves time for it.
      assertTimeLeft();
    }
  }
}
