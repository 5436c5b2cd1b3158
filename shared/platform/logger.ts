// Structured JSON logs (Powertools Logger), one logger per container. Callers log names and ids only:
// never a token, a secret or an Authorization header.
//
// Every line of an invocation carries its Lambda context (`function_request_id`, `cold_start`, the
// function's name and ARN), the route, and, once the caller is known, `account_id` and `api_token_id`:
// the routing part of the credentials, never the secret. Each invocation starts from none of the
// previous one's keys.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

export const logger = new Logger({ serviceName: 'api-token-service' });

/** A direct call without a Lambda context (tests, the benchmark) logs no request id rather than the last one's. */
const NO_LAMBDA_CONTEXT = { functionName: '', functionVersion: '', invokedFunctionArn: '', memoryLimitInMB: '', awsRequestId: '', coldStart: false };

/** Starts an invocation's log: drops the previous invocation's keys, adds the Lambda context and the route. */
export function startRequestLog(context: Context | undefined, keys: { route: string }): void {
  logger.resetKeys();
  logger.addContext(context ?? NO_LAMBDA_CONTEXT);
  logger.appendKeys(keys);
}

/** From here on, the invocation's lines name the caller's account and token (ids only). */
export function appendCallerKeys(caller: { accountId: string; tokenId: number }): void {
  logger.appendKeys({ account_id: caller.accountId, api_token_id: caller.tokenId });
}
