// Imported first by tracing.test.ts, before any product module is loaded: Powertools Tracer switches itself
// on only in Lambda, which it recognises by AWS_EXECUTION_ENV when it is created.
export const previousTracingEnvironment = { AWS_EXECUTION_ENV: process.env.AWS_EXECUTION_ENV };
process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';

export function restoreTracingEnvironment(): void {
  if (previousTracingEnvironment.AWS_EXECUTION_ENV === undefined) delete process.env.AWS_EXECUTION_ENV;
  else process.env.AWS_EXECUTION_ENV = previousTracingEnvironment.AWS_EXECUTION_ENV;
}
