// The construct library other teams install (`@api-token-service/cdk`): the whole service, the authorizer
// for another team's REST API, and their props. The Lambda code and the admin console ship prebuilt (dist/ in
// the package, cdk/lambda-code.ts and cdk/admin-console.ts); the runtime helper for downstream handlers is the
// `./identity` entry.
export {
  API_TOKEN_SERVICE_DEFAULTS,
  ApiTokenService,
  type ApiTokenServiceProps,
  NO_ALARM_TARGET_WARNING,
  type ProtectedApi,
  type ProtectOptions,
} from '../cdk/api-token-service';
export { ApiTokenServiceStack, type ApiTokenServiceStackProps } from '../cdk/api-token-service-stack';
export { AdminConsole, type AdminConsoleProps } from '../cdk/admin-console';
export { ALARM_THRESHOLDS, ServiceMonitoring, type ServiceMonitoringProps } from '../cdk/monitoring';
export { SWEEP_PERIOD, TokenSweepSchedule, type TokenSweepScheduleProps } from '../cdk/token-sweep-schedule';
export {
  AUTHORIZER_IDENTITY_SOURCE,
  DEFAULT_AUTHORIZER_CACHE_TTL,
  DEFAULT_AUTHORIZER_PARAMETER_NAME,
  TokenAuthorizer,
  type TokenAuthorizerProps,
} from '../cdk/token-authorizer';
