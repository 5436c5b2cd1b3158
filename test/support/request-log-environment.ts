// Imported first by the request-log tests, before any product module is loaded: Powertools reads the log
// level, and whether the container was started on demand (which makes its first invocation a cold start),
// when the logger is created, so both are set here, as Lambda sets the second, not in beforeAll.
export const previousRequestLogEnvironment = {
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL,
  AWS_LAMBDA_INITIALIZATION_TYPE: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
};
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';

export function restoreRequestLogEnvironment(): void {
  for (const [name, value] of Object.entries(previousRequestLogEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
