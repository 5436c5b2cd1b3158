// The hourly token sweep (EventBridge schedule, cdk/token-sweep-schedule.ts): one bounded run of the
// inactivity policy and the end of rotation graces over every account (shared/domain/token-sweep.ts),
// within its deadline; what is left waits for the next hour. Not an API route. A failure throws, which
// Lambda counts as an error (the SweepErrors alarm) and EventBridge retries; a retry is as safe as any run.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { withDeadline } from '../shared/domain/deadline';
import type { SweepSummary } from '../shared/domain/token-sweep';
import { logger, startRequestLog } from '../shared/platform/logger';
import { SWEEP_DEADLINE_MS } from '../shared/platform/time-budget';
import { getServices } from '../shared/runtime/services';

export async function handler(_event: ScheduledEvent, context?: Context): Promise<SweepSummary> {
  startRequestLog(context, { route: 'sweep-tokens' });
  const summary = await withDeadline(SWEEP_DEADLINE_MS, () => getServices().sweep.sweep());
  logger.info('Token sweep finished', { ...summary });
  return summary;
}
