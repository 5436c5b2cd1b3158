// The authorizer's two DynamoDB calls — one consistent BatchGetItem of account, user and token, and the
// at-most-once-a-minute `last_used` write — on the plain DynamoDB client. Kept apart from the full store
// (dynamo-store.ts) so that the authorizer, which runs on every request, loads only what it runs; it is
// wired in runtime/authorizer-services.ts.
import { BatchGetItemCommand, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { backoff, errorName, guard } from './dynamo-errors';
import { ServiceUnavailableError } from '../domain/errors';
import { accountKey, tokenKey, userKey } from './keys';
import type { ApiToken } from '../domain/model';
import type { AuthorizationItems, AuthorizationStore } from '../domain/store';
import { ACTIVITY_AT_ATTRIBUTE } from './sweep-index';

const MAX_UNPROCESSED_RETRIES = 3;

/**
 * The attributes the authorizer writes: when the token was last used, and the same time as the token's
 * activity in the sweep's index (ACTIVITY_AT_ATTRIBUTE). CDK grants the authorizer's
 * UpdateItem this attribute and the key alone (cdk/table-access.ts), so the write and the grant share it.
 */
export const LAST_USED_ATTRIBUTE = 'lastUsedAt' satisfies keyof ApiToken;

export class DynamoAuthorizationStore implements AuthorizationStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getAuthorizationItems(accountId: string, email: string, tokenId: number): Promise<AuthorizationItems> {
    const keys = { account: accountKey(accountId), user: userKey(accountId, email), token: tokenKey(accountId, tokenId) };
    let pending = Object.values(keys).map((key) => marshall(key));
    const found: Record<string, unknown>[] = [];
    // Unprocessed keys are retried briefly; a read that stays incomplete fails closed.
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > MAX_UNPROCESSED_RETRIES) throw new ServiceUnavailableError('Authorization read incomplete');
      if (attempt > 0) await backoff(attempt);
      const result = await guard(
        this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } })),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []).map((item) => unmarshall(item)));
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    const bySk = (sk: string) => found.find((item) => item.SK === sk);
    const token = bySk(keys.token.SK) as AuthorizationItems['token'] | undefined;
    return {
      account: bySk(keys.account.SK) as AuthorizationItems['account'],
      user: bySk(keys.user.SK) as AuthorizationItems['user'],
      token: token && { ...token, lastUsedAt: token.lastUsedAt ?? null },
    };
  }

  async recordTokenUse(accountId: string, tokenId: number, usedAt: string, notAfter: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(tokenKey(accountId, tokenId)),
          // The sweep's activity sort key moves with it (sweep-index.ts): same value, same write.
          UpdateExpression: 'SET #lastUsed = :usedAt, #activityAt = :usedAt',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(#lastUsed) OR #lastUsed < :notAfter)',
          ExpressionAttributeNames: { '#lastUsed': LAST_USED_ATTRIBUTE, '#activityAt': ACTIVITY_AT_ATTRIBUTE },
          ExpressionAttributeValues: marshall({ ':usedAt': usedAt, ':notAfter': notAfter }),
          // Nothing comes back: the grant allows no other ReturnValues.
          ReturnValues: 'NONE',
        }),
      );
    } catch (error) {
      // Another request recorded the use first, or the token is gone: nothing to do.
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
