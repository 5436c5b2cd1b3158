// The token sweep's deployment: its function runs every hour from an EventBridge rule, with the sweep's
// time budget, and may only Query the sweep's three indexes (not the table, not the audit indexes), read
// items by key and make its transaction writes; its failures raise an alarm of their own.
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { TokenSweepSchedule } from '../../cdk/token-sweep-schedule';
import { SWEEP_TIMEOUT_SECONDS } from '../../shared/platform/time-budget';
import { AUDIT_INDEX_NAMES, SWEEP_INDEX_NAMES } from '../../shared/store/table';
import { dynamoStatementsOfFunction, newApp } from './support';

const stack = new Stack(newApp({ bundle: false }), 'Sweep');
const table = new TableV2(stack, 'Table', { partitionKey: { name: 'PK', type: AttributeType.STRING }, sortKey: { name: 'SK', type: AttributeType.STRING } });
const sweep = new TokenSweepSchedule(stack, 'TokenSweep', { table, environment: { TABLE_NAME: 'tokens' }, logRetention: RetentionDays.ONE_WEEK, logRemovalPolicy: RemovalPolicy.DESTROY });
const template = Template.fromStack(stack);
const functionId = stack.getLogicalId(sweep.function.node.defaultChild as never);
const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as never), 'Arn'] };
const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });

test('an EventBridge rule invokes the sweep function every hour, and may do nothing else', () => {
  template.hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: 'rate(1 hour)',
    State: 'ENABLED',
    Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 1 } })],
  });
  template.hasResourceProperties('AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction',
    Principal: 'events.amazonaws.com',
    FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
    SourceArn: { 'Fn::GetAtt': [stack.getLogicalId(sweep.rule.node.defaultChild as never), 'Arn'] },
  });
  template.hasResourceProperties('AWS::Lambda::Function', { Timeout: SWEEP_TIMEOUT_SECONDS, Handler: 'index.handler' });
});

test("the function may Query the sweep's indexes alone, read by key and write its transactions: no Scan, no table Query", () => {
  const sorted = (values: unknown[]) => values.map((value) => JSON.stringify(value)).sort();
  const statements = dynamoStatementsOfFunction(template, functionId).map(({ Action, Resource }) => ({ Action: sorted(Action), Resource: sorted(Resource) }));
  expect(statements).toEqual([
    { Action: sorted(['dynamodb:Query']), Resource: sorted(SWEEP_INDEX_NAMES.map(indexArn)) },
    {
      Action: sorted(['dynamodb:GetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
      Resource: sorted([tableArn]),
    },
  ]);
  const granted = JSON.stringify(statements);
  for (const name of AUDIT_INDEX_NAMES) expect(granted).not.toContain(`/index/${name}"`);
  expect(SWEEP_INDEX_NAMES).toEqual(['TokensByActivity', 'TokensDue', 'AccountsToSweep']);
});
