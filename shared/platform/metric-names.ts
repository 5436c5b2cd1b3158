// The names of the product's custom CloudWatch metrics, defined once: the authorizer emits them through
// Powertools Metrics, and the CDK alarms and dashboard read them. No runtime dependency, so CDK can import it.

/** Namespace of every custom metric of the service. */
export const METRICS_NAMESPACE = 'ApiTokenService';

/**
 * Value of the `service` dimension that Powertools Metrics adds to every metric (its `serviceName`);
 * the same name the Logger uses, so logs and metrics of one service line up.
 */
export const METRICS_SERVICE_NAME = 'api-token-service';

/**
 * One data point (Count, value 1) per request the authorizer denies, with the dimensions
 * `service` = METRICS_SERVICE_NAME and `reason` = the DenyReason of shared/domain/verification.ts.
 */
export const AUTHENTICATION_DENIED_METRIC = 'AuthenticationDenied';
export const DENY_REASON_DIMENSION = 'reason';
