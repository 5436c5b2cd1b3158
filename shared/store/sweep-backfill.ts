// Gives token items written before the sweep's indexes existed the attributes `tokenItem` writes today
// (sweep-index.ts), so that the sweep finds them, and puts accounts that have an inactivity or retention
// setting in the accounts-to-sweep index. One pass over the table's token and account items; an item that
// has its attributes is left alone, one changed or removed meanwhile is skipped (its own write placed it).
// A use recorded meanwhile is kept: the activity time is only set where the authorizer has not set it.
// An operator's one-off (scripts/backfill-sweep-indexes.ts): it scans, which no Lambda may do.
import type { DocumentTable } from './document-client';
import { backfillAttributes, type BackfillResult } from './backfill-update';
import { toAccount, toToken, type Item } from './items';
import { scanItems } from './reads';
import {
  ACTIVITY_AT_ATTRIBUTE,
  ACTIVITY_PARTITION_ATTRIBUTE,
  accountSweepAttributes,
  DUE_PARTITION_ATTRIBUTE,
  SWEEP_ACCOUNT_ATTRIBUTE,
  sweepIndexAttributes,
} from './sweep-index';
import type { AttributeChanges } from './update-expressions';

/** Tokens in none of the sweep's partitions, accounts in no sweep index: what may lack its attributes. */
const WITHOUT_SWEEP_ATTRIBUTES = {
  FilterExpression: '(#type = :token AND attribute_not_exists(#activityPk) AND attribute_not_exists(#duePk)) OR (#type = :account AND attribute_not_exists(#sweepPk))',
  ExpressionAttributeNames: { '#type': 'type', '#activityPk': ACTIVITY_PARTITION_ATTRIBUTE, '#duePk': DUE_PARTITION_ATTRIBUTE, '#sweepPk': SWEEP_ACCOUNT_ATTRIBUTE },
  ExpressionAttributeValues: { ':token': 'token', ':account': 'account' },
};

/** The token's attributes as `tokenItem` would write them, its activity time kept when the authorizer wrote one. */
function tokenAttributes(item: Item): AttributeChanges {
  const { [ACTIVITY_AT_ATTRIBUTE]: activityAt, ...set } = sweepIndexAttributes(toToken(item));
  return activityAt === undefined ? { set } : { set, setIfAbsent: { [ACTIVITY_AT_ATTRIBUTE]: activityAt } };
}

/** Still at the version read: a token deactivated, reactivated or rotated meanwhile already has its place. */
const atVersion = (item: Item) => ({ expression: '#version = :version', names: { '#version': 'version' }, values: { ':version': item.version } });

export async function backfillSweepIndexes(table: DocumentTable): Promise<BackfillResult> {
  const result: BackfillResult = { scanned: 0, updated: 0 };
  for await (const item of scanItems(table, WITHOUT_SWEEP_ATTRIBUTES)) {
    result.scanned += 1;
    const attributes = item.type === 'token' ? tokenAttributes(item) : { set: accountSweepAttributes(toAccount(item)) };
    if (Object.keys(attributes.set ?? {}).length === 0) continue;
    if (await backfillAttributes(table, item, attributes, atVersion(item))) result.updated += 1;
  }
  return result;
}
