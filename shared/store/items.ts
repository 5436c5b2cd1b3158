// Item ↔ domain mapping: the item each record is stored as (its keys, its `type`, its fields), and the
// domain record an item reads back as, with the key attributes stripped.
import type { Account, ApiToken, AuditEntry, User } from '../domain/model';
import { accountKey, auditFilterPartition, auditKey, auditSourceKey, tokenKey, userIdKey, userKey } from './keys';
import { accountSweepAttributes, sweepIndexAttributes } from './sweep-index';
import { auditIndexes, KEY_ATTRIBUTE_NAMES } from './table';

export type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = [...KEY_ATTRIBUTE_NAMES, 'type'];

function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as T;
}

export const accountItem = (account: Account): Item => ({ ...accountKey(account.accountId), type: 'account', ...account, ...accountSweepAttributes(account) });
export const userItem = (user: User): Item => ({ ...userKey(user.accountId, user.email), type: 'user', ...user });
/** The user-id pointer (keys.ts): the email that keys the user item. */
export const userIdItem = (user: User): Item => ({ ...userIdKey(user.accountId, user.userId), type: 'user_id', email: user.email });
/**
 * Stored without `lastUsedAt`, not as null: the authorizer's use record needs it absent or a time. With the
 * attributes that place it in the sweep's indexes.
 */
export const tokenItem = (token: ApiToken): Item => ({
  ...tokenKey(token.accountId, token.tokenId),
  type: 'token',
  ...token,
  lastUsedAt: undefined,
  ...sweepIndexAttributes(token),
});
/** An audit entry with the keys of every index it belongs in (none for a token or an address it lacks). */
export const auditItem = (audit: AuditEntry): Item => ({
  ...auditKey(audit.accountId, audit.auditId),
  ...auditSourceKey(audit.accountId, audit.sourceType, audit.sourceId, audit.auditId),
  [auditIndexes.actor.partitionKey]: auditFilterPartition(audit.accountId, 'ACTOR', audit.actorId),
  ...(audit.actorApiTokenId == null ? {} : { [auditIndexes.actorApiToken.partitionKey]: auditFilterPartition(audit.accountId, 'ACTOR_API_TOKEN', audit.actorApiTokenId) }),
  [auditIndexes.action.partitionKey]: auditFilterPartition(audit.accountId, 'ACTION', audit.action),
  ...(audit.ipAddress == null ? {} : { [auditIndexes.ipAddress.partitionKey]: auditFilterPartition(audit.accountId, 'IP', audit.ipAddress) }),
  [auditIndexes.sourceType.partitionKey]: auditFilterPartition(audit.accountId, 'SOURCE_TYPE', audit.sourceType),
  type: 'audit',
  ...audit,
});

export const toAccount = (item: Item) => withoutKeys<Account>(item);
export const toUser = (item: Item) => withoutKeys<User>(item);
export const toToken = (item: Item): ApiToken => {
  const token = withoutKeys<ApiToken>(item);
  return { ...token, lastUsedAt: token.lastUsedAt ?? null };
};
export const toAuditEntry = (item: Item) => withoutKeys<AuditEntry>(item);
