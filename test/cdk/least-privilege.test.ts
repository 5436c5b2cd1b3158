// Least privilege on the table, as the template grants it: the authorizer's UpdateItem is limited to the
// token's key and `lastUsedAt` and returns nothing, and only the routes that list an account's items may
// Query the table. The stack is the one `cdk synth` builds (cdk-nag included); bundling is skipped here
// (service-stack.test.ts bundles for real). That the code sends no more than this is proven by
// test/unit/authorizer-write-grant.test.ts and test/integration/route-table-access.test.ts.
import type { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { defineApp } from '../../cdk/service-app';
import { routeList, routes } from '../../shared/http/routes';
import { dynamoStatementsOfFunction, newApp } from './support';

const app = newApp({ bundle: false });
const stack = defineApp(app);
app.synth();
const template = Template.fromStack(stack);
const logicalIdOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
const tableArn = { 'Fn::GetAtt': [logicalIdOf(stack.service.table), 'Arn'] };
const statementsOf = (fn: IConstruct) => dynamoStatementsOfFunction(template, logicalIdOf(fn));

describe('the authorizer', () => {
  const statements = () => statementsOf(stack.service.authorizerFunction);

  test('may UpdateItem only the token key and lastUsedAt, asking nothing back', () => {
    const updates = statements().filter((statement) => statement.Action.includes('dynamodb:UpdateItem'));
    expect(updates).toEqual([
      {
        policy: expect.any(String) as unknown,
        Action: ['dynamodb:UpdateItem'],
        Resource: [tableArn],
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['PK', 'SK', 'lastUsedAt', 'activityAt'] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
        },
      },
    ]);
  });

  test('reads with BatchGetItem, and has nothing else on the table', () => {
    expect(statements().map(({ Action, Resource, Condition }) => ({ Action, Resource, Condition }))).toEqual([
      { Action: ['dynamodb:BatchGetItem'], Resource: [tableArn], Condition: undefined },
      expect.objectContaining({ Action: ['dynamodb:UpdateItem'] }),
    ]);
  });
});

describe('routes', () => {
  const queriesTable = (name: string) =>
    statementsOf(stack.service.functions[name]!).some((statement) => statement.Action.includes('dynamodb:Query') && statement.Resource.some((resource) => JSON.stringify(resource) === JSON.stringify(tableArn)));

  test('users/me reads its user by key: its role may not Query anything', () => {
    const actions = statementsOf(stack.service.functions[routes.showCurrentUser.name]!).flatMap((statement) => statement.Action);
    expect(actions).toEqual(['dynamodb:GetItem']);
  });

  test('only the listings of tokens and audit entries may Query the table, as their definitions declare', () => {
    expect(routeList.filter((route) => queriesTable(route.name)).map((route) => route.name)).toEqual([routes.listApiTokens.name, routes.listAuditLogs.name]);
    for (const route of routeList) expect({ route: route.name, queries: queriesTable(route.name) }).toEqual({ route: route.name, queries: route.queriesTable });
  });

  test('leak reports read tokens by key and deactivate them with their audit entry: no Query, no DeleteItem, no ConditionCheckItem', () => {
    const actions = statementsOf(stack.service.functions[routes.reportLeakedTokens.name]!).flatMap((statement) => statement.Action);
    expect(actions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });
});
