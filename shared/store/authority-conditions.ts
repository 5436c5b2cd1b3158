// The authority check at commit, for changes made through the API: conditions on the acting token, user
// and account, written into the change's own TransactWriteItems (on the items it already writes, or as
// ConditionCheck items), and the reading of a failed check from the cancellation reasons. One declaration
// feeds both, so the condition DynamoDB evaluates and the way its failure is read cannot drift apart.
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors';
import { accountKey, tokenKey, userKey } from './keys';
import type { Authority } from '../domain/model';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
import type { Item } from './items';
type Key = { PK: string; SK: string };

/** One attribute rule: equal to a value, or one of several. */
type Check = { attribute: string; equals: unknown } | { attribute: string; oneOf: readonly unknown[] };

interface Requirement {
  key: Key;
  /** What must hold for the caller to be authenticated at all. */
  identity: Check[];
  /** What must hold for the caller to be allowed the route (a failure is a 403, not a 401). */
  permission: Check[];
}

/** What the authorizer checked, restated for commit time. */
function requirementsOf(authority: Authority): Requirement[] {
  return [
    {
      key: accountKey(authority.accountId),
      identity: [
        { attribute: 'status', equals: 'active' },
        { attribute: 'apiTokenAccess', equals: true },
      ],
      permission: [],
    },
    {
      // The user id, not only the email: a user removed and added again is another user.
      key: userKey(authority.accountId, authority.email),
      identity: [
        { attribute: 'userId', equals: authority.userId },
        { attribute: 'verified', equals: true },
        { attribute: 'suspended', equals: false },
      ],
      permission: [{ attribute: 'role', oneOf: authority.roles }],
    },
    {
      key: tokenKey(authority.accountId, authority.apiTokenId),
      identity: [{ attribute: 'active', equals: true }],
      permission: [],
    },
  ];
}

const holds = (item: Item, check: Check) =>
  'equals' in check ? item[check.attribute] === check.equals : check.oneOf.includes(item[check.attribute]);

/** `#name = :value AND #name IN (...)`, with placeholders unique to this requirement. */
function expressionOf(requirement: Requirement, prefix: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses = [...requirement.identity, ...requirement.permission].map((check, index) => {
    const name = `#${prefix}${index}`;
    names[name] = check.attribute;
    if ('equals' in check) {
      values[`:${prefix}${index}`] = check.equals;
      return `${name} = :${prefix}${index}`;
    }
    const placeholders = check.oneOf.map((value, option) => {
      values[`:${prefix}${index}_${option}`] = value;
      return `:${prefix}${index}_${option}`;
    });
    return `${name} IN (${placeholders.join(', ')})`;
  });
  return { expression: clauses.join(' AND '), names, values };
}

type Writable = { Key?: Item; Item?: Item; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item; ReturnValuesOnConditionCheckFailure?: string };

function operationOf(item: TransactItem): Writable | undefined {
  return (item.Update ?? item.Delete ?? item.ConditionCheck ?? item.Put) as Writable | undefined;
}

function targets(operation: Writable, key: Key): boolean {
  const target = operation.Key ?? operation.Item;
  return target?.PK === key.PK && target?.SK === key.SK;
}

interface GuardedTransaction {
  items: TransactItem[];
  /** The error a cancelled transaction means when the authority no longer held; undefined when it did. */
  failureOf(reasons: CancellationReason[]): Error | undefined;
}

/**
 * Adds the authority's conditions to a transaction. DynamoDB allows one operation per item in a
 * transaction, so an item the change already writes (the acting token edited, the account's token count)
 * carries the conditions itself; the others get a ConditionCheck. Every such item returns its old image on
 * failure, which is what tells a revoked authority from the change's own conditions.
 */
export function withAuthority(items: TransactItem[], tableName: string, authority: Authority): GuardedTransaction {
  const guarded = items.map((item) => structuredClone(item));
  const positions = requirementsOf(authority).map((requirement, index) => {
    const { expression, names, values } = expressionOf(requirement, `au${index}_`);
    const position = guarded.findIndex((item) => {
      const operation = operationOf(item);
      return operation !== undefined && targets(operation, requirement.key);
    });
    if (position === -1) {
      guarded.push({
        ConditionCheck: {
          TableName: tableName,
          Key: requirement.key,
          ConditionExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
      return { requirement, position: guarded.length - 1 };
    }
    const operation = operationOf(guarded[position]!)!;
    operation.ConditionExpression = operation.ConditionExpression ? `(${operation.ConditionExpression}) AND ${expression}` : expression;
    operation.ExpressionAttributeNames = { ...operation.ExpressionAttributeNames, ...names };
    operation.ExpressionAttributeValues = { ...operation.ExpressionAttributeValues, ...values };
    operation.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
    return { requirement, position };
  });

  return {
    items: guarded,
    failureOf(reasons) {
      let forbidden = false;
      for (const { requirement, position } of positions) {
        const reason = reasons[position];
        if (reason?.Code !== 'ConditionalCheckFailed') continue;
        const old = reason.Item ? unmarshall(reason.Item) : undefined;
        if (!old || !requirement.identity.every((check) => holds(old, check))) return new UnauthenticatedError();
        if (!requirement.permission.every((check) => holds(old, check))) forbidden = true;
      }
      return forbidden ? new ForbiddenError() : undefined;
    },
  };
}
