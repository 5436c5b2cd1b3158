// Least privilege on the table, as the template grants it: the authorizer's UpdateItem is limited to the
// token's key and `lastUsedAt` and returns nothing. The stack is the one `cdk synth` builds (cdk-nag
// included); bundling is skipped here (service-stack.test.ts bundles for real). That the code sends no
// more than this is proven by test/unit/authorizer-write-grant.test.ts.
import type { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { defineApp } from '../../cdk/service-app';
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
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['PK', 'SK', 'lastUsedAt'] },
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
