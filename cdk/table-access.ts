// Least-privilege DynamoDB access, derived from what each function does rather than listed per function:
// the authorizer's two calls (its write limited to the attributes it names), and for a route its HTTP
// method (GET only reads; a write is one TransactWriteItems whose Put/Update/Delete/ConditionCheck items
// IAM authorizes one by one) plus what its definition says it deletes (`deletesItems`) and queries: the
// table (`queriesTable`) and the audit indexes, each by its exact ARN. Nothing gets Scan, BatchWriteItem, `dynamodb:*` or a wildcard.
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RouteDefinition } from '../shared/http/routes';
import { LAST_USED_ATTRIBUTE } from '../shared/store/authorization-store';
import { AUDIT_INDEX_NAMES, tableDefinition } from '../shared/store/table';

/**
 * Every attribute the authorizer's UpdateItem may name (`dynamodb:Attributes`): the token's key and
 * `lastUsedAt`, so a bug or a compromised authorizer cannot rewrite `active`, `secretHash` or a user's `role`.
 * DynamoDB counts each attribute a request names — the key, the UpdateExpression and the ConditionExpression
 * alike (a listed attribute may be "read, written, or evaluated in a conditional write"; no other may be) —
 * and the table's key attributes must be listed. The write's condition names only `PK` (the token exists)
 * and `lastUsedAt`, both here. The indexes' key attributes are left out: the write names none, and with them
 * the authorizer could move a token into an audit index.
 */
export const AUTHORIZER_UPDATE_ATTRIBUTES: readonly string[] = [tableDefinition.partitionKey, tableDefinition.sortKey, LAST_USED_ATTRIBUTE];

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

/** The table actions a route's handler needs, in a stable order. */
export function routeTableActions(route: RouteDefinition): string[] {
  if (route.method === 'GET') return readActions(route);
  return [...readActions(route), ...WRITE_ACTIONS, ...(route.deletesItems ? ['dynamodb:DeleteItem'] : [])];
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
