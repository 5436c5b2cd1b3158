// A token's policy (TokenPolicy in model.ts): the rules that turn what a caller asks for into one (an expiry
// within the account's maximum lifetime, a role ceiling, an allow-list in canonical form), the role a request
// made with the token acts with, and the words the audit log uses for each part.
import type { TokenPolicy } from './model';
import { formatTimestamp, parseUtcTimestamp } from './timestamps';

const DAY_MS = 86_400_000;
/** The longest maximum lifetime an account may set: ten years. */
export const MAX_LIFETIME_DAYS_LIMIT = 3650;

/** `1 day`, `30 days`. */
export const daysText = (days: number) => `${days} ${days === 1 ? 'day' : 'days'}`;

/** The policy a caller asks for when creating a token; absent or null parts are not set. */
export interface PolicyRequest {
  /** ISO-8601 UTC; defaults to the account's maximum lifetime when it has one. */
  expiresAt?: string | null;
}

/** Field name → what is wrong with it, as ValidationError takes it. */
export type Problems = Record<string, string[]>;

export function addProblems(problems: Problems, field: string, found: readonly string[]): void {
  if (found.length > 0) problems[field] = [...(problems[field] ?? []), ...found];
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

// ---- the audit log's words ------------------------------------------------------------------------

/** The policy a token is created with, for its `api_token.created` entry: empty when it has none. */
export function describePolicy(policy: TokenPolicy | undefined): string[] {
  if (!policy) return [];
  return [...(policy.expiresAt === undefined ? [] : [`expires ${formatTimestamp(policy.expiresAt)}`])];
}
