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

/**
 * One attribute rule: equal to a value, one of several, or a time later than one; with `orAbsent`, an
 * attribute that is not there passes too (a token without that part of a policy). `attribute` may name an
 * attribute inside a map (`policy.expiresAt`).
 */
type Check = { attribute: string; orAbsent?: true } & ({ equals: unknown } | { oneOf: readonly unknown[] } | { after: string });

interface Requirement {
  key: Key;
  /** What must hold for the caller to be authenticated at all. */
  identity: Check[];
  /** What must hold for the caller to be allowed the route (a failure is a 403, not a 401). */
  permission: Check[];
}

/** What the authorizer checked, restated for commit time (`now`, an ISO time, for the token's expiry). */
function requirementsOf(authority: Authority, now: string): Requirement[] {
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
      identity: [
        { attribute: 'active', equals: true },
        // Stored expiries are toISOString() strings, which compare as times.
        { attribute: 'policy.expiresAt', after: now, orAbsent: true },
        { attribute: 'policy.assignedUserId', equals: authority.userId, orAbsent: true },
      ],
      // The request acts with the lower of the user's role and the token's ceiling; the routes' role sets are
      // upward closed, so that role is allowed when the user's role (above) and the ceiling both are.
      permission: [{ attribute: 'policy.maxRole', oneOf: authority.roles, orAbsent: true }],
    },
  ];
}

function holds(item: Item, check: Check): boolean {
  const value = check.attribute.split('.').reduce<unknown>((found, name) => (found as Item | undefined)?.[name], item);
  if (value === undefined && check.orAbsent) return true;
  if ('equals' in check) return value === check.equals;
  if ('oneOf' in check) return check.oneOf.includes(value);
  return typeof value === 'string' && value > check.after;
}

/** `#name = :value AND #name IN (...) AND (attribute_not_exists(#map.#name) OR ...)`, with placeholders unique to this requirement. */
function expressionOf(requirement: Requirement, prefix: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses = [...requirement.identity, ...requirement.permission].map((check, index) => {
    const name = check.attribute
      .split('.')
      .map((part, depth) => {
        names[`#${prefix}${index}_${depth}`] = part;
        return `#${prefix}${index}_${depth}`;
      })
      .join('.');
    const value = `:${prefix}${index}`;
    let clause: string;
    if ('equals' in check) {
      values[value] = check.equals;
      clause = `${name} = ${value}`;
    } else if ('oneOf' in check) {
      const placeholders = check.oneOf.map((option, position) => {
        values[`${value}_${position}`] = option;
        return `${value}_${position}`;
      });
      clause = `${name} IN (${placeholders.join(', ')})`;
    } else {
      values[value] = check.after;
      clause = `${name} > ${value}`;
    }
    return check.orAbsent ? `(attribute_not_exists(${name}) OR ${clause})` : clause;
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
  const positions = requirementsOf(authority, new Date().toISOString()).map((requirement, index) => {
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
