// Lambda REQUEST authorizer: verifies `Authorization: Basic base64("{email}/token:{token}")`, given once, on
// every request. Denials return a Deny policy, which API Gateway answers with the ACCESS_DENIED gateway
// response, the service's 401 (shared/http/gateway-responses.ts): a denial is an answer, not a function
// error, so it never counts in Lambda's Errors nor pays for a stack trace. Internal errors fail closed: they
// throw, which is API Gateway's AUTHORIZER_FAILURE, a 503 with Retry-After. DynamoDB calls end at the
// authorizer's deadline (shared/platform/time-budget.ts), well before the Lambda timeout.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { parseBasicCredentials } from '../shared/domain/credentials';
import { recordUse, verifyCredentials, type Verification } from '../shared/domain/verification';
import { appendCallerKeys, logger, startRequestLog } from '../shared/platform/logger';
import { countDeniedAuthentication } from '../shared/platform/metrics';
import type { AuthorizationStore } from '../shared/domain/store';
import { getAuthorizationServices, prepareInLambdaInit } from '../shared/runtime/authorizer-services';
import { withDeadline } from '../shared/domain/deadline';
import { AUTHORIZER_DEADLINE_MS } from '../shared/platform/time-budget';

/**
 * Every Authorization value of the request, whatever the spelling of the header's name. API Gateway's
 * `headers` keeps only the last value of a repeated header; `multiValueHeaders` keeps them all, so it is
 * read when present.
 */
function authorizationValues(event: APIGatewayRequestAuthorizerEvent): string[] {
  const isAuthorization = ([name]: [string, unknown]) => name.toLowerCase() === 'authorization';
  const multi = Object.entries(event.multiValueHeaders ?? {}).filter(isAuthorization).flatMap(([, values]) => values ?? []);
  if (multi.length > 0) return multi;
  return Object.entries(event.headers ?? {}).filter(isAuthorization).flatMap(([, value]) => (value === undefined ? [] : [value]));
}

/**
 * One set of credentials per request: with two, which one would authenticate depends on which a proxy or
 * API Gateway keeps, so none does. Denied like any malformed header, without a DynamoDB call. Once the
 * credentials parse, the log names their account and token id (the routing part, not the secret).
 */
function verify(event: APIGatewayRequestAuthorizerEvent, store: AuthorizationStore, now: Date): Promise<Verification> {
  const values = authorizationValues(event);
  const credentials = values.length === 1 ? parseBasicCredentials(values[0]) : undefined;
  if (!credentials) return Promise.resolve({ allowed: false, reason: 'malformed_credentials' });
  appendCallerKeys(credentials);
  // The address API Gateway received the request from: a token's IP allow-list is matched against it.
  return verifyCredentials(credentials, store, now, event.requestContext?.identity?.sourceIp);
}

/**
 * The policy covers the whole stage (`…/stage/*`), not just this method: with a non-zero result cache
 * the same cached policy answers the caller's next requests to any route.
 */
function stageWildcard(methodArn: string): string {
  // arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}/{path…}
  const [api, stage] = methodArn.split('/');
  return `${api}/${stage}/*`;
}

function stagePolicy(effect: 'Allow' | 'Deny', methodArn: string): APIGatewayAuthorizerResult['policyDocument'] {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: stageWildcard(methodArn) }],
  };
}

/**
 * Who a denied request was, as API Gateway logs it (`$context.authorizer.principalId`): nobody. Not the
 * email, nor anything of the secret; the authorizer's own log line names the parsed account and token id.
 */
const DENIED_PRINCIPAL_ID = 'anonymous';

prepareInLambdaInit(AUTHORIZER_DEADLINE_MS);

export function handler(event: APIGatewayRequestAuthorizerEvent, context?: Context): Promise<APIGatewayAuthorizerResult> {
  startRequestLog(context, { route: 'authorizer' });
  return withDeadline(AUTHORIZER_DEADLINE_MS, () => authorize(event));
}

async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const { store } = getAuthorizationServices();
  const now = new Date();
  const verification = await verify(event, store, now);
  if (!verification.allowed) {
    logger.info('Authentication denied', { reason: verification.reason });
    countDeniedAuthentication(verification.reason);
    return { principalId: DENIED_PRINCIPAL_ID, policyDocument: stagePolicy('Deny', event.methodArn) };
  }
  const { context } = verification;
  if (verification.recordUse) {
    await recordUse(store, context, now).catch((error: unknown) =>
      logger.warn('Could not record token use', { error: error instanceof Error ? error.name : String(error) }),
    );
  }
  return {
    principalId: `${context.accountId}:${context.userId}`,
    policyDocument: stagePolicy('Allow', event.methodArn),
    context: { ...context },
  };
}
