// Imported first by no-secrets-in-logs.test.ts, before any product module is loaded: the logger reads its
// level and the metrics their switch when they are created, so they must be set here, not in beforeAll.
export const previousLogEnvironment = {
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL,
  POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED,
};
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
