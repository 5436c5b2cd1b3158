// Least-privilege DynamoDB access, derived from what each function does rather than listed per function:
// the authorizer's two calls, and for a route its HTTP method (GET only reads; a write is one
// TransactWriteItems whose Put/Update/Delete/ConditionCheck items IAM authorizes one by one) plus
// the indexes it queries, each by its exact ARN. Nothing gets Scan, BatchWriteItem, `dynamodb:*` or a wildcard.
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { HttpMethod, RouteDefinition } from '../shared/http/routes';
import { AUDIT_INDEX_NAMES } from '../shared/store/table';

/** The authorizer: one consistent BatchGetItem, and the at-most-once-a-minute `lastUsedAt` update. */
export const AUTHORIZER_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'] as const;

/** Every route reads single items (GetItem) and item collections of one account (Query). */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/**
 * The items a write transaction may hold. Every change puts an audit entry (PutItem) and updates the
 * changed record (UpdateItem); ConditionCheckItem reveals no more than GetItem already does. Only
 * DELETE routes may delete items, so a create or an edit can never remove data, whatever its bug.
 */
const WRITE_ACTIONS: Record<Exclude<HttpMethod, 'GET'>, readonly string[]> = {
  POST: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  PUT: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  DELETE: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
};

/** The table actions a route's handler needs, in a stable order. */
export function routeTableActions(route: RouteDefinition): string[] {
  return route.method === 'GET' ? [...READ_ACTIONS] : [...READ_ACTIONS, ...WRITE_ACTIONS[route.method]];
}

/** ARN of one index of the table: no `index/*` wildcard. */
export function indexArn(table: ITableV2, indexName: string): string {
  return `${table.tableArn}/index/${indexName}`;
}

export function grantAuthorizerAccess(table: ITableV2, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ effect: Effect.ALLOW, actions: [...AUTHORIZER_ACTIONS], resources: [table.tableArn] }),
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
