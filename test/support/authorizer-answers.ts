// The authorizer's answer to a request it denies, as API Gateway receives it: a Deny of the whole stage for
// a principal that names nobody, with no context. API Gateway answers it with the ACCESS_DENIED gateway
// response (the service's 401); only a thrown error is an authorizer failure.
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { isDeepStrictEqual } from 'node:util';

/** The exact denial for a request to `methodArn` (`arn:aws:execute-api:{region}:{account}:{api}/{stage}/…`). */
export function denialOf(methodArn: string): APIGatewayAuthorizerResult {
  const [api, stage] = methodArn.split('/');
  return {
    principalId: 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${api}/${stage}/*` }],
    },
  };
}

export const isDenialOf = (methodArn: string, result: unknown): boolean => isDeepStrictEqual(result, denialOf(methodArn));
