// The read-only fields a PUT of a token may carry, because clients send the token back as GET returned it.
// Each is compared with the token as the API shows it now (presentToken: the url with this request's base,
// timestamps to the second), on the very read the update is based on (`expires_at` too: it is set when the
// token is created); `last_used` moves by itself and is ignored; `token` is never accepted, never compared and never echoed. docs/decisions.md has the rule.
import type * as z from 'zod/mini';
import { ValidationError } from '../domain/errors';
import type { TokenPrecondition, TokenUpdate } from '../domain/token-service';
import { presentToken, type ApiTokenJson } from './presenters';
import type { UpdateApiTokenBody } from './request-schemas';

type SentToken = z.infer<typeof UpdateApiTokenBody>['api_token'];

/** Ignored when absent or equal to the token's presented value; a 422 naming the field otherwise. */
const COMPARED = ['id', 'url', 'visible_token', 'user_id', 'created_at', 'updated_at'] as const satisfies readonly (keyof SentToken & keyof ApiTokenJson)[];

const differs = (field: string) => `${field} is read-only and differs from the token's; leave it out or send it as the token shows it`;
const MESSAGES: Partial<Record<keyof SentToken, string>> = {
  updated_at: 'updated_at differs from the token\'s: the token changed since this copy of it was read; read it again',
};
const TOKEN_SENT = 'token cannot be sent: the full token is shown only when it is created';

/** What is wrong with the read-only fields sent, keyed by JSON field name: empty when nothing is. */
export function readOnlyFieldProblems(sent: SentToken, shown: ApiTokenJson): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  for (const field of COMPARED) {
    if (sent[field] !== undefined && sent[field] !== shown[field]) problems[field] = [MESSAGES[field] ?? differs(field)];
  }
  // Shown only when the token expires: null is the value of a token that does not.
  if (sent.expires_at !== undefined && sent.expires_at !== (shown.expires_at ?? null)) problems.expires_at = [differs('expires_at')];
  // Only whether it was sent: its value is a secret, or a guess at one.
  if (sent.token !== undefined) problems.token = [TOKEN_SENT];
  return problems;
}

/** The change a PUT body asks for, and the condition that its read-only fields are as the token shows them. */
export function tokenUpdateFrom(sent: SentToken, baseUrl: string): { update: TokenUpdate; precondition: TokenPrecondition } {
  return {
    update: { description: sent.description, active: sent.active, assignedUserId: sent.assigned_user_id, maxRole: sent.max_role, allowedIps: sent.allowed_ips },
    precondition: (current) => {
      const problems = readOnlyFieldProblems(sent, presentToken(current, baseUrl));
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
    },
  };
}
