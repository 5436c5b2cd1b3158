// Verification of API token credentials (docs/architecture.md, "Token format and verification"), once credentials.ts has parsed them strictly (no
// database call for malformed input): one consistent BatchGetItem, constant-time hash comparison, then the
// account/user/token rules, the token's policy included: each part of it reads only the token item.
import type { ApiTokenCredentials } from './credentials';
import type { Role } from './model';
import type { AuthorizationStore } from './store';
import { ipAllowed } from './ip-allow-list';
import { tokenMatchesHash } from './token-format';
import { effectiveRole } from './token-policy';

/** Write `last_used` at most once per this interval per token, so the hot path normally does no write. */
const LAST_USED_INTERVAL_MS = 60_000;

/** The flat string context the authorizer hands to API Gateway (and so to every handler). */
export interface AuthContext {
  accountId: string;
  userId: string;
  email: string;
  role: Role;
  tokenId: string;
  authType: 'api_token';
}

export type DenyReason =
  | 'malformed_credentials'
  | 'unknown_account'
  | 'account_suspended'
  | 'api_token_access_off'
  | 'unknown_token'
  | 'wrong_secret'
  | 'token_deactivated'
  | 'token_expired'
  | 'unknown_user'
  | 'user_unverified'
  | 'user_suspended'
  | 'token_bound_to_other_user'
  | 'ip_not_allowed';

export type Verification = { allowed: true; context: AuthContext; recordUse: boolean } | { allowed: false; reason: DenyReason };

const deny = (reason: DenyReason): Verification => ({ allowed: false, reason });

/**
 * Verifies credentials already parsed by `parseBasicCredentials` (which denies anything malformed, with no
 * DynamoDB call): the caller can name the account and token in its logs before the read. `sourceIp` is the
 * address the request comes from, as API Gateway saw it (`requestContext.identity.sourceIp`).
 */
export async function verifyCredentials(credentials: ApiTokenCredentials, store: AuthorizationStore, now: Date, sourceIp?: string): Promise<Verification> {
  const { account, user, token } = await store.getAuthorizationItems(credentials.accountId, credentials.email, credentials.tokenId);
  if (!account) return deny('unknown_account');
  if (!token) return deny('unknown_token');
  if (!tokenMatchesHash(credentials.token, token.secretHash)) return deny('wrong_secret');
  if (account.status !== 'active') return deny('account_suspended');
  if (!account.apiTokenAccess) return deny('api_token_access_off');
  if (!token.active) return deny('token_deactivated');
  const policy = token.policy;
  // Stored expiries are toISOString() strings; an expired token fails as a deactivated one does.
  if (policy?.expiresAt !== undefined && Date.parse(policy.expiresAt) <= now.getTime()) return deny('token_expired');
  if (policy?.allowedIps !== undefined && !ipAllowed(policy.allowedIps, sourceIp)) return deny('ip_not_allowed');
  if (!user) return deny('unknown_user');
  if (!user.verified) return deny('user_unverified');
  if (user.suspended) return deny('user_suspended');
  // A bound token authenticates only with its user's email: the user by id, so one removed and added again is another.
  if (policy?.assignedUserId !== undefined && user.userId !== policy.assignedUserId) return deny('token_bound_to_other_user');
  const recordUse = token.lastUsedAt === null || Date.parse(token.lastUsedAt) <= now.getTime() - LAST_USED_INTERVAL_MS;
  return {
    allowed: true,
    recordUse,
    context: {
      accountId: credentials.accountId,
      userId: String(user.userId),
      email: user.email,
      // The lower of the user's role and the token's ceiling: what every handler checks the route against.
      role: effectiveRole(user.role, policy?.maxRole),
      tokenId: String(credentials.tokenId),
      authType: 'api_token',
    },
  };
}

/** Records the use when due; a lost race or a failure here never changes the decision already made. */
export async function recordUse(store: AuthorizationStore, context: AuthContext, now: Date): Promise<void> {
  const notAfter = new Date(now.getTime() - LAST_USED_INTERVAL_MS).toISOString();
  await store.recordTokenUse(context.accountId, Number(context.tokenId), now.toISOString(), notAfter);
}
