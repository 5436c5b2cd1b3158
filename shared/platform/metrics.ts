// Custom metrics (Powertools Metrics, CloudWatch embedded metric format on stdout), named in
// metric-names.ts, which the CDK stack's alarms and dashboard read too.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DenyReason } from '../domain/verification';

import { AUTHENTICATION_DENIED_METRIC, DENY_REASON_DIMENSION, METRICS_NAMESPACE, METRICS_SERVICE_NAME } from './metric-names';

const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE_NAME });

/** One denied authentication, by reason; published at once so that a denial thrown later is still counted. */
export function countDeniedAuthentication(reason: DenyReason): void {
  const metric = metrics.singleMetric();
  metric.addDimension(DENY_REASON_DIMENSION, reason);
  metric.addMetric(AUTHENTICATION_DENIED_METRIC, MetricUnit.Count, 1);
}

/**
 * Powertools' `ColdStart` count, with the function's name: once per container, from its init phase. Emitted
 * then (not with the first request) it also runs the metric path once before any request needs it.
 */
export function countColdStart(functionName: string | undefined): void {
  metrics.captureColdStartMetric(functionName);
}
