// Calls the real authorizer (functions/authorizer.ts) in-process and names the outcome: allowed (an Allow
// policy) or denied (a Deny policy, API Gateway's 401); anything else — a thrown error, another policy —
// fails the benchmark.
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { handler } from '../functions/authorizer';

export type Outcome = 'allowed' | 'denied';

export async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<Outcome> {
  const result = await handler(event);
  const effects = result.policyDocument.Statement.map((statement) => statement.Effect);
  if (effects.length === 1 && effects[0] === 'Allow') return 'allowed';
  if (effects.length === 1 && effects[0] === 'Deny') return 'denied';
  throw new Error(`authorizer returned a policy that is neither one Allow nor one Deny: ${effects.join(', ')}`);
}

/** A call that resolves only when the authorizer answers as expected. */
export function expecting(expected: Outcome, event: APIGatewayRequestAuthorizerEvent): () => Promise<void> {
  return async () => {
    const outcome = await authorize(event);
    if (outcome !== expected) throw new Error(`expected the authorizer to answer ${expected}, it answered ${outcome}`);
  };
}
