// The attributes that place a token item in the token sweep's indexes (shared/store/table.ts), so that the
// sweep reads only the tokens that are due (docs/architecture.md, "Token sweep"):
// - an active token is in its account's activity partition, sorted by when it was last used (or created);
// - a deactivated token is in its account's deactivated partition, sorted by when it was deactivated;
// - a token rotated with a grace is in the one rotated partition, sorted by the end of its grace.
// A token is in exactly one of them. The authorizer keeps `activityAt` current with `lastUsedAt`.
import type { ApiToken } from '../domain/model';
import { accountPk } from './keys';
import type { Item } from './items';

export const ACTIVITY_PARTITION_ATTRIBUTE = 'ActivityPK';
/** ISO-8601: the token's last use, or its creation when never used. Written by the authorizer with `lastUsedAt`. */
export const ACTIVITY_AT_ATTRIBUTE = 'activityAt';
export const DUE_PARTITION_ATTRIBUTE = 'DuePK';
/** ISO-8601: when a deactivated token was deactivated, or when a rotated token's grace ends. */
export const DUE_AT_ATTRIBUTE = 'DueAt';

export const activityPartition = (accountId: string) => `${accountPk(accountId)}#ACTIVE`;
export const deactivatedPartition = (accountId: string) => `${accountPk(accountId)}#DEACTIVATED`;
/** One partition for every account's rotated tokens: the sweep deletes them whatever the account's settings. */
export const ROTATED_PARTITION = 'ROTATED';

/** The sweep-index attributes of a token item written whole (a create, a rotation's new token). */
export function sweepIndexAttributes(token: ApiToken): Item {
  if (token.rotatedTo !== undefined && token.policy?.expiresAt !== undefined) {
    return { [DUE_PARTITION_ATTRIBUTE]: ROTATED_PARTITION, [DUE_AT_ATTRIBUTE]: token.policy.expiresAt };
  }
  if (!token.active) {
    return { [DUE_PARTITION_ATTRIBUTE]: deactivatedPartition(token.accountId), [DUE_AT_ATTRIBUTE]: token.deactivatedAt ?? token.updatedAt };
  }
  return { [ACTIVITY_PARTITION_ATTRIBUTE]: activityPartition(token.accountId), [ACTIVITY_AT_ATTRIBUTE]: token.lastUsedAt ?? token.createdAt };
}
