// The Lambda context the emulator passes to the authorizer and to a route's handler with their event, so
// that their logs carry locally what they carry in AWS (Powertools Logger reads the request id, the
// function's name, version, ARN and memory). One difference, on purpose: each invocation takes the request's
// own id (API Gateway's, the `x-amzn-RequestId` the client receives) as its `awsRequestId`, so one id
// follows a request through the emulator's line and both functions' logs. In AWS each invocation has
// its own request id, and the X-Ray trace id (`xray_trace_id`, also in the access log) ties them together.
import type { Context } from 'aws-lambda';
import { AUTHORIZER_TIMEOUT_SECONDS, HANDLER_TIMEOUT_SECONDS } from '../shared/platform/time-budget';
import { LOCAL_API } from './gateway-events';

/** The authorizer's function name; a route's handler is named after its route (as its CDK construct is). */
export const AUTHORIZER_FUNCTION_NAME = 'authorizer';

/** The functions' memory as deployed (FUNCTION_DEFAULTS in cdk/lambda-function.ts), as Lambda reports it. */
const MEMORY_LIMIT_IN_MB = '512';

export function lambdaContextOf(functionName: string, requestId: string, now = new Date()): Context {
  const timeoutMs = (functionName === AUTHORIZER_FUNCTION_NAME ? AUTHORIZER_TIMEOUT_SECONDS : HANDLER_TIMEOUT_SECONDS) * 1000;
  const deadline = now.getTime() + timeoutMs;
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  const unsupported = () => {
    throw new Error('The callback-style context methods (done, fail, succeed) are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_API.region}:${LOCAL_API.accountId}:function:${functionName}`,
    memoryLimitInMB: MEMORY_LIMIT_IN_MB,
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
