// Lambda REQUEST authorizer: verifies `Authorization: Basic base64("{email}/token:{token}")` on every
// request. Denials throw `Unauthorized` (API Gateway answers 401); internal errors fail closed: anything else
// thrown is API Gateway's AUTHORIZER_FAILURE, a 503 with Retry-After. DynamoDB calls end at the authorizer's
// deadline (shared/time-budget.ts), well before the Lambda timeout.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { recordUse, verifyApiToken } from '../shared/authorize';
import { logger } from '../shared/logger';
import { countDeniedAuthentication } from '../shared/metrics';
import { getAuthorizationServices } from '../shared/authorization-store';
import { withDeadline } from '../shared/deadline';
import { AUTHORIZER_DEADLINE_MS } from '../shared/time-budget';

function authorizationHeader(headers: APIGatewayRequestAuthorizerEvent['headers']): string | undefined {
  const found = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  return found?.[1] ?? undefined;
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

export function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  return withDeadline(AUTHORIZER_DEADLINE_MS, () => authorize(event));
}

async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const { store } = getAuthorizationServices();
  const now = new Date();
  const verification = await verifyApiToken(authorizationHeader(event.headers), store, now);
  if (!verification.allowed) {
    logger.info('Authentication denied', { reason: verification.reason });
    countDeniedAuthentication(verification.reason);
    throw new Error('Unauthorized');
  }
  const { context } = verification;
  if (verification.recordUse) {
    await recordUse(store, context, now).catch((error: unknown) =>
      logger.warn('Could not record token use', { error: error instanceof Error ? error.name : String(error) }),
    );
  }
  return {
    principalId: `${context.accountId}:${context.userId}`,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(event.methodArn) }],
    },
    context: { ...context },
  };
}
