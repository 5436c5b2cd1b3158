// The attributes that place a token item in the token sweep's indexes (shared/store/table.ts), so that the
// sweep reads only the tokens that are due (docs/architecture.md, "Token sweep"):
// - an active token is in its account's activity partition, sorted by when it was last used (or created);
// - a deactivated token is in its account's deactivated partition, sorted by when it was deactivated;
// - a token rotated with a grace is in the one rotated partition, sorted by the end of its grace.
// A token is in exactly one of them. The authorizer keeps `activityAt` current with `lastUsedAt`.
// An account with an inactivity or retention setting is in the accounts-to-sweep index.
import type { Account, ApiToken } from '../domain/model';
import { hasSweepSetting, type SweepSetting } from '../domain/sweep-settings';
import { accountPk } from './keys';
import type { Item } from './items';
import type { AttributeChanges } from './update-expressions';

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

/** On an account item while it has an inactivity or a retention setting: the accounts the sweep visits. */
export const SWEEP_ACCOUNT_ATTRIBUTE = 'SweepPK';
/** The one partition of the accounts-to-sweep index. */
export const SWEEP_ACCOUNTS_PARTITION = 'SWEEP';

/** The sweep-index attribute of an account item written whole: present only while a sweep setting is set. */
export function accountSweepAttributes(account: Account): Item {
  return hasSweepSetting(account) ? { [SWEEP_ACCOUNT_ATTRIBUTE]: SWEEP_ACCOUNTS_PARTITION } : {};
}

/** How a rotation with a grace moves the old token: out of its activity partition, into the rotated one until its grace ends. */
export const rotatedAttributes = (graceEndsAt: string): AttributeChanges => ({
  set: { [DUE_PARTITION_ATTRIBUTE]: ROTATED_PARTITION, [DUE_AT_ATTRIBUTE]: graceEndsAt },
  remove: [ACTIVITY_PARTITION_ATTRIBUTE],
});

/** Whether an account update changes one of the settings that put the account in the accounts-to-sweep index. */
export const sweepSettingChanged = (changes: Partial<Pick<Account, SweepSetting>>) =>
  changes.apiTokenInactivityDays !== undefined || changes.apiTokenDeactivatedRetentionDays !== undefined;

/** How an account update moves the account into or out of the accounts-to-sweep index, if it does. */
export function accountSweepChanges(after: Account): AttributeChanges {
  return hasSweepSetting(after) ? { set: accountSweepAttributes(after) } : { remove: [SWEEP_ACCOUNT_ATTRIBUTE] };
}

const DEACTIVATED_AT = 'deactivatedAt' satisfies keyof ApiToken;

/**
 * How a change of `active` at `at` moves a token between its account's activity and deactivated partitions.
 * A token rotated with a grace stays in the rotated partition: only its deactivation time moves.
 */
export function activeChangeAttributes(token: ApiToken, active: boolean, at: string): AttributeChanges {
  const rotated = token.rotatedTo !== undefined;
  if (!active) {
    return {
      set: { [DEACTIVATED_AT]: at, ...(rotated ? {} : { [DUE_PARTITION_ATTRIBUTE]: deactivatedPartition(token.accountId), [DUE_AT_ATTRIBUTE]: at }) },
      remove: rotated ? [] : [ACTIVITY_PARTITION_ATTRIBUTE],
    };
  }
  if (rotated) return { remove: [DEACTIVATED_AT] };
  return {
    set: { [ACTIVITY_PARTITION_ATTRIBUTE]: activityPartition(token.accountId) },
    // The authorizer keeps `activityAt` while a token is deactivated; one written before it did counts from creation.
    setIfAbsent: { [ACTIVITY_AT_ATTRIBUTE]: token.lastUsedAt ?? token.createdAt },
    remove: [DUE_PARTITION_ATTRIBUTE, DUE_AT_ATTRIBUTE, DEACTIVATED_AT],
  };
}
