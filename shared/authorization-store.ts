// The authorizer's two DynamoDB calls — one consistent BatchGetItem of account, user and token, and the
// at-most-once-a-minute `last_used` write — on the plain DynamoDB client. Kept apart from the full store
// (dynamo-store.ts) so that the authorizer, which runs on every request, loads only what it runs.
import { BatchGetItemCommand, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { loadConfig } from './config';
import { backoff, errorName, guard } from './dynamo-errors';
import { createDynamoDbClient } from './dynamodb';
import { ServiceUnavailableError } from './errors';
import { accountKey, tokenKey, userKey } from './keys';
import type { Account, ApiToken, User } from './model';

/** The three items an authorization decision needs, read together. */
export interface AuthorizationItems {
  account?: Pick<Account, 'status' | 'apiTokenAccess'>;
  user?: Pick<User, 'userId' | 'name' | 'email' | 'role' | 'verified' | 'suspended'>;
  token?: Pick<ApiToken, 'active' | 'secretHash' | 'lastUsedAt'>;
}

export interface AuthorizationStore {
  /** One consistent read of account, user and token. */
  getAuthorizationItems(accountId: string, email: string, tokenId: number): Promise<AuthorizationItems>;
  /** Records use at most once per interval: a no-op when lastUsedAt is newer than `notAfter`. */
  recordTokenUse(accountId: string, tokenId: number, usedAt: string, notAfter: string): Promise<void>;
}

const MAX_UNPROCESSED_RETRIES = 3;

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
          UpdateExpression: 'SET lastUsedAt = :usedAt',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :notAfter)',
          ExpressionAttributeValues: marshall({ ':usedAt': usedAt, ':notAfter': notAfter }),
        }),
      );
    } catch (error) {
      // Another request recorded the use first, or the token is gone: nothing to do.
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

export interface AuthorizationServices {
  client: DynamoDBClient;
  store: AuthorizationStore;
}

let services: AuthorizationServices | undefined;

/** The authorizer's client and store, created once per container on first use. */
export function getAuthorizationServices(): AuthorizationServices {
  if (!services) {
    const config = loadConfig();
    const client = createDynamoDbClient(config);
    services = { client, store: new DynamoAuthorizationStore(client, config.tableName) };
  }
  return services;
}
