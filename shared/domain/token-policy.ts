// A token's policy (TokenPolicy in model.ts): the rules that turn what a caller asks for into one (an expiry
// within the account's maximum lifetime, an assigned user, a role ceiling, an allow-list in canonical form),
// the role a request made with the token acts with, and the words the audit log uses for each part.
import { normalizeAllowedIps } from './ip-allow-list';
import { ROLES, type Role, type TokenPolicy } from './model';
import { formatTimestamp, parseUtcTimestamp } from './timestamps';

const DAY_MS = 86_400_000;
/** The longest maximum lifetime an account may set: ten years. */
export const MAX_LIFETIME_DAYS_LIMIT = 3650;

/** `1 day`, `30 days`. */
export const daysText = (days: number) => `${days} ${days === 1 ? 'day' : 'days'}`;

/** The parts of a policy a caller may change on an existing token: null clears one, absent leaves it. The expiry is set at creation only. */
export interface PolicyUpdate {
  /** A user of the token's account. */
  assignedUserId?: number | null;
  maxRole?: Role | null;
  /** CIDR blocks or addresses as given; an empty list, like null, removes the allow-list. */
  allowedIps?: string[] | null;
}

/** The policy a caller asks for when creating a token; absent or null parts are not set. */
export interface PolicyRequest extends PolicyUpdate {
  /** ISO-8601 UTC; defaults to the account's maximum lifetime when it has one. */
  expiresAt?: string | null;
}

/** Field name → what is wrong with it, as ValidationError takes it. */
export type Problems = Record<string, string[]>;

export function addProblems(problems: Problems, field: string, found: readonly string[]): void {
  if (found.length > 0) problems[field] = [...(problems[field] ?? []), ...found];
}

/**
 * The lower of the user's role and the token's ceiling: what a request made with the token acts as. The
 * routes' role sets are upward closed (`admin`, or every role), so "the effective role is allowed" is "the
 * user's role is allowed and the ceiling, when set, is too": how the commit's condition states it.
 */
export function effectiveRole(role: Role, maxRole: Role | undefined): Role {
  return maxRole !== undefined && ROLES.indexOf(maxRole) > ROLES.indexOf(role) ? maxRole : role;
}

/** The parts an update may change; `update` may carry other fields (a whole TokenUpdate), which are not parts. */
const UPDATABLE_PARTS = ['assignedUserId', 'maxRole', 'allowedIps'] as const satisfies readonly (keyof PolicyUpdate)[];

/**
 * The policy with the changes asked for applied: null clears a part, absent leaves it as it is. The
 * allow-list must already be in canonical form (`allowedIpsOf`).
 */
export function updatedPolicy(current: TokenPolicy | undefined, update: PolicyUpdate): TokenPolicy {
  const next: TokenPolicy = { ...current };
  for (const part of UPDATABLE_PARTS) {
    const value = update[part];
    if (value === null) delete next[part];
    else if (value !== undefined) Object.assign(next, { [part]: value });
  }
  return compactPolicy(next) ?? {};
}

/** A policy with only the parts that are set, or undefined when none is (a token as Zendesk issues it). */
export function compactPolicy(policy: TokenPolicy): TokenPolicy | undefined {
  const parts = Object.entries(policy).filter(([, value]) => value !== undefined);
  return parts.length === 0 ? undefined : (Object.fromEntries(parts) as TokenPolicy);
}

/** What is wrong with an account's maximum token lifetime (null: no maximum). */
export function maxLifetimeProblems(days: number | null): string[] {
  if (days === null || (Number.isInteger(days) && days >= 1 && days <= MAX_LIFETIME_DAYS_LIMIT)) return [];
  return [`api_token_max_lifetime_days must be a whole number of days from 1 to ${MAX_LIFETIME_DAYS_LIMIT}, or null for no maximum`];
}

/**
 * The expiry of a token created at `now`: the one asked for, which must be in the future and within the
 * account's maximum lifetime, or, when none is asked for, that maximum (no expiry without one).
 */
export function expiryAt(requested: string | null | undefined, now: Date, maxLifetimeDays: number | null | undefined): { expiresAt?: string; problems: string[] } {
  const latest = maxLifetimeDays == null ? undefined : { at: now.getTime() + maxLifetimeDays * DAY_MS, days: maxLifetimeDays };
  if (requested == null) return { expiresAt: latest && new Date(latest.at).toISOString(), problems: [] };
  const expiry = parseUtcTimestamp(requested);
  if (!expiry) return { problems: ['expires_at must be an ISO-8601 UTC time such as 2027-01-01T00:00:00Z'] };
  if (expiry.getTime() <= now.getTime()) return { problems: ['expires_at must be in the future'] };
  if (latest && expiry.getTime() > latest.at) {
    const limit = formatTimestamp(new Date(latest.at).toISOString());
    return { problems: [`expires_at is beyond the account's maximum API token lifetime of ${daysText(latest.days)} (at most ${limit})`] };
  }
  return { expiresAt: expiry.toISOString(), problems: [] };
}

/**
 * The expiry of a token that replaces `old` at `now` (a rotation): the old token's lifetime counted from now,
 * within the account's maximum; for a token that had none, the maximum, as on create.
 */
export function replacementExpiry(old: { createdAt: string; policy?: TokenPolicy }, now: Date, maxLifetimeDays: number | null): string | undefined {
  const latest = expiryAt(undefined, now, maxLifetimeDays).expiresAt;
  if (old.policy?.expiresAt === undefined) return latest;
  const kept = new Date(now.getTime() + Date.parse(old.policy.expiresAt) - Date.parse(old.createdAt)).toISOString();
  return earlierOf(latest, kept);
}

/** The earlier of two times as toISOString() gives them (they compare as times); the second when there is no first. */
export const earlierOf = (first: string | undefined, second: string): string => (first !== undefined && first < second ? first : second);

/** The allow-list asked for in canonical form (null or an empty list: none), with what is wrong with it. */
export function allowedIpsOf(requested: readonly string[] | null | undefined): { allowedIps: string[] | null | undefined; problems: string[] } {
  if (requested === undefined || requested === null) return { allowedIps: requested, problems: [] };
  const { allowedIps, problems } = normalizeAllowedIps(requested);
  return { allowedIps: allowedIps ?? null, problems };
}

/** Two allow-lists hold the same blocks (their order does not matter). */
export function sameAllowedIps(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((cidr) => right.has(cidr));
}

// ---- the audit log's words ------------------------------------------------------------------------

/** How the audit log names an assigned user: by id, with the email when it is known. */
export const assignedUserLabel = (userId: number | undefined, email: string | undefined) =>
  userId === undefined ? 'none' : email === undefined ? `user ${userId}` : `user ${userId} (${email})`;
export const roleCeilingLabel = (maxRole: Role | undefined) => maxRole ?? 'none';
export const allowListLabel = (allowedIps: readonly string[] | undefined) => (allowedIps?.length ? allowedIps.join(', ') : 'none');

/** The emails of the users a policy (or, for a change, the policy before and after) is assigned to, where known. */
export interface AssignedEmails {
  before?: string;
  after?: string;
}

/** The policy a token is created with, for its `api_token.created` entry: empty when it has none. */
export function describePolicy(policy: TokenPolicy | undefined, emails: AssignedEmails = {}): string[] {
  if (!policy) return [];
  return [
    ...(policy.expiresAt === undefined ? [] : [`expires ${formatTimestamp(policy.expiresAt)}`]),
    ...(policy.assignedUserId === undefined ? [] : [`assigned to ${assignedUserLabel(policy.assignedUserId, emails.after)}`]),
    ...(policy.maxRole === undefined ? [] : [`role ceiling ${policy.maxRole}`]),
    ...(policy.allowedIps === undefined ? [] : [`IP allow-list ${allowListLabel(policy.allowedIps)}`]),
  ];
}

/** One audit entry's event and words for a part of the policy that an update changed. */
export interface PolicyChange {
  event: string;
  changeDescription: string;
}

/** What changed between two policies, one entry per changed part, in a fixed order. */
export function describePolicyChanges(before: TokenPolicy | undefined, after: TokenPolicy, emails: AssignedEmails = {}): PolicyChange[] {
  const changes: PolicyChange[] = [];
  if (before?.assignedUserId !== after.assignedUserId) {
    const from = assignedUserLabel(before?.assignedUserId, emails.before);
    changes.push({ event: 'api_token.assigned_user_changed', changeDescription: `Assigned user changed from ${from} to ${assignedUserLabel(after.assignedUserId, emails.after)}` });
  }
  if (before?.maxRole !== after.maxRole) {
    changes.push({
      event: 'api_token.max_role_changed',
      changeDescription: `Role ceiling changed from ${roleCeilingLabel(before?.maxRole)} to ${roleCeilingLabel(after.maxRole)}`,
    });
  }
  if (!sameAllowedIps(before?.allowedIps, after.allowedIps)) {
    changes.push({
      event: 'api_token.allowed_ips_changed',
      changeDescription: `IP allow-list changed from ${allowListLabel(before?.allowedIps)} to ${allowListLabel(after.allowedIps)}`,
    });
  }
  return changes;
}
