// Least-privilege DynamoDB access, derived from what each function does rather than listed per function:
// the authorizer's two calls (its write limited to the attributes it names), and for a route its HTTP
// method (GET only reads; a write is one TransactWriteItems whose Put/Update/Delete/ConditionCheck items
// IAM authorizes one by one) plus what its definition says it deletes (`deletesItems`) and queries: the
// table (`queriesTable`) and the audit indexes, each by its exact ARN; and the token sweep's reads of its own
// indexes and its writes. Nothing gets Scan, BatchWriteItem, `dynamodb:*` or a wildcard.
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RouteDefinition } from '../shared/http/routes';
import { LAST_USED_ATTRIBUTE } from '../shared/store/authorization-store';
import { ACTIVITY_AT_ATTRIBUTE } from '../shared/store/sweep-index';
import { AUDIT_INDEX_NAMES, SWEEP_INDEX_NAMES, tableDefinition } from '../shared/store/table';

/**
 * Every attribute the authorizer's UpdateItem may name (`dynamodb:Attributes`): the token's key and
 * `lastUsedAt`, so a bug or a compromised authorizer cannot rewrite `active`, `secretHash` or a user's `role`.
 * DynamoDB counts each attribute a request names — the key, the UpdateExpression and the ConditionExpression
 * alike (a listed attribute may be "read, written, or evaluated in a conditional write"; no other may be) —
 * and the table's key attributes must be listed. The write's condition names only `PK` (the token exists)
 * and `lastUsedAt`, both here. The indexes' key attributes are left out but one, `activityAt`, the sort key
 * of the sweep's activity index, which moves with `lastUsedAt`: it can only reorder a token within the
 * activity partition it is in (or, without `ActivityPK`, in none); with the partition keys the authorizer
 * could move a token into an audit index, or out of the sweep's reach.
 */
export const AUTHORIZER_UPDATE_ATTRIBUTES: readonly string[] = [tableDefinition.partitionKey, tableDefinition.sortKey, LAST_USED_ATTRIBUTE, ACTIVITY_AT_ATTRIBUTE];

/**
 * `ReturnValues` the authorizer's UpdateItem may ask for. An UpdateItem can return the whole item (ALL_OLD,
 * ALL_NEW) whatever `dynamodb:Attributes` allows, so AWS pairs that key with this one; the write asks for nothing.
 */
export const AUTHORIZER_UPDATE_RETURN_VALUES: readonly string[] = ['NONE'];

/** Every route reads single items by key; only the routes that list an account's items query the table. */
const readActions = (route: RouteDefinition): string[] => (route.queriesTable ? ['dynamodb:GetItem', 'dynamodb:Query'] : ['dynamodb:GetItem']);

/**
 * The items a write transaction may hold. Every change puts an audit entry (PutItem) and updates the
 * changed record (UpdateItem); ConditionCheckItem reveals no more than GetItem already does. Only the routes
 * that say so (`deletesItems`: the DELETE routes and the rotation) may delete items, so a create or an edit
 * can never remove data, whatever its bug.
 */
const WRITE_ACTIONS: readonly string[] = ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

/**
 * The table actions a route's handler needs, in a stable order. A public route's writes carry no caller's
 * authority, so they check no token, user or account beside the change: no ConditionCheckItem.
 */
export function routeTableActions(route: RouteDefinition): string[] {
  if (route.method === 'GET') return readActions(route);
  const writes = WRITE_ACTIONS.filter((action) => route.access !== 'public' || action !== 'dynamodb:ConditionCheckItem');
  return [...readActions(route), ...writes, ...(route.deletesItems ? ['dynamodb:DeleteItem'] : [])];
}

/** ARN of one index of the table: no `index/*` wildcard. */
export function indexArn(table: ITableV2, indexName: string): string {
  return `${table.tableArn}/index/${indexName}`;
}

/** The authorizer: one consistent BatchGetItem, and the at-most-once-a-minute `lastUsedAt` update. */
export function grantAuthorizerAccess(table: ITableV2, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:BatchGetItem'], resources: [table.tableArn] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...AUTHORIZER_UPDATE_ATTRIBUTES] },
        // IfExists, as AWS's examples write it: a request that leaves ReturnValues out returns nothing.
        StringEqualsIfExists: { 'dynamodb:ReturnValues': [...AUTHORIZER_UPDATE_RETURN_VALUES] },
      },
    }),
  );
}

export function grantRouteAccess(table: ITableV2, route: RouteDefinition, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ effect: Effect.ALLOW, actions: routeTableActions(route), resources: [table.tableArn] }),
  );
  if (route.queriesAuditIndexes) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: AUDIT_INDEX_NAMES.map((name) => indexArn(table, name)) }),
    );
  }
}

/**
 * The token sweep: Query on its three indexes alone (not the table, not the audit indexes), GetItem to read
 * each account and token again, and the items of its transactions: the token's update or delete, the
 * account's token count, the audit entry.
 */
export function grantSweepAccess(table: ITableV2, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: SWEEP_INDEX_NAMES.map((name) => indexArn(table, name)) }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:GetItem', ...WRITE_ACTIONS, 'dynamodb:DeleteItem'], resources: [table.tableArn] }),
  );
}
