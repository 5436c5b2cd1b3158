// Custom metrics (Powertools Metrics, CloudWatch embedded metric format on stdout). The CDK stack's
// alarms and dashboards read these names: change them together.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DenyReason } from './authorize';

export const METRICS_NAMESPACE = 'ApiTokenService';
export const AUTHENTICATION_DENIED_METRIC = 'AuthenticationDenied';
export const DENY_REASON_DIMENSION = 'reason';

const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'api-token-service' });

/** One denied authentication, by reason; published at once so that a denial thrown later is still counted. */
export function countDeniedAuthentication(reason: DenyReason): void {
  const metric = metrics.singleMetric();
  metric.addDimension(DENY_REASON_DIMENSION, reason);
  metric.addMetric(AUTHENTICATION_DENIED_METRIC, MetricUnit.Count, 1);
}
