// Calls the real authorizer (functions/authorizer.ts) in-process and names the outcome: allowed (an Allow
// policy), denied (`Unauthorized`, API Gateway's 401), or anything else, which fails the benchmark.
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { handler } from '../functions/authorizer';

export type Outcome = 'allowed' | 'denied';

export async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<Outcome> {
  try {
    const result = await handler(event);
    if (result.policyDocument.Statement[0]?.Effect !== 'Allow') throw new Error('authorizer returned a policy that is not Allow');
    return 'allowed';
  } catch (error) {
    if (error instanceof Error && error.message === 'Unauthorized') return 'denied';
    throw error;
  }
}

/** A call that resolves only when the authorizer answers as expected. */
export function expecting(expected: Outcome, event: APIGatewayRequestAuthorizerEvent): () => Promise<void> {
  return async () => {
    const outcome = await authorize(event);
    if (outcome !== expected) throw new Error(`expected the authorizer to answer ${expected}, it answered ${outcome}`);
  };
}
