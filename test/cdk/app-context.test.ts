// This repository's CDK app reads its settings from CDK context (`cdk synth -c key=value`, strings, or cdk.json):
// the alarm topic or e-mail, the web ACL, audit retention, throttling, the authorizer's parameter name and the
// admin console (on or off, its web ACL) reach their resources; bad values stop synthesis naming the key;
// without an alarm target synthesis warns.
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { NO_ALARM_TARGET_WARNING } from '../../cdk/api-token-service';
import { defineApp } from '../../cdk/service-app';
import { DEFAULT_AUTHORIZER_PARAMETER_NAME } from '../../cdk/token-authorizer';
import { newApp, resourcesOf, serviceFunctionsOf } from './support';

function synthesize(context: Record<string, string>) {
  const stack = defineApp(newApp({ bundle: false, context }));
  return { stack, template: Template.fromStack(stack) };
}

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:on-call';
const WEB_ACL_ARN = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/0c1d2e3f';

test('without an alarm topic or e-mail, synthesis warns that the alarms notify nobody', () => {
  const { stack, template } = synthesize({});
  Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('The alarms notify nobody'));
  for (const alarm of Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'))) expect(alarm.Properties!.AlarmActions).toBeUndefined();
  template.resourceCountIs('AWS::SNS::Topic', 0);
});

test('-c alarmTopicArn: every alarm notifies that topic, and nothing warns', () => {
  const { stack, template } = synthesize({ alarmTopicArn: TOPIC_ARN });
  expect(Annotations.fromStack(stack).findWarning('*', NO_ALARM_TARGET_WARNING)).toEqual([]);
  template.resourceCountIs('AWS::SNS::Topic', 0);
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
  expect(alarms.length).toBeGreaterThan(5);
  for (const alarm of alarms) expect(alarm.Properties!.AlarmActions).toEqual([TOPIC_ARN]);
});

test('-c alarmEmail: nothing warns', () => {
  const { stack } = synthesize({ alarmEmail: 'on-call@example.com' });
  expect(Annotations.fromStack(stack).findWarning('*', NO_ALARM_TARGET_WARNING)).toEqual([]);
});

test('web ACL, audit retention and throttling given as strings reach their resources', () => {
  const { template } = synthesize({ webAclArn: WEB_ACL_ARN, auditRetentionDays: '365', throttlingRateLimit: '250', throttlingBurstLimit: '500' });
  template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL_ARN });
  template.hasResourceProperties('AWS::ApiGateway::Stage', {
    MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 250, ThrottlingBurstLimit: 500 })]),
  });
  for (const fn of Object.values(serviceFunctionsOf(template))) {
    expect(fn.Properties).toMatchObject({ Environment: { Variables: { AUDIT_RETENTION_DAYS: '365' } } });
  }
});

test('-c adminConsole=false leaves the console out; -c adminConsoleWebAclArn gives its distribution a web ACL', () => {
  const withoutConsole = synthesize({ adminConsole: 'false' });
  expect(withoutConsole.stack.service.adminConsole).toBeUndefined();
  withoutConsole.template.resourceCountIs('AWS::CloudFront::Distribution', 0);
  withoutConsole.template.resourceCountIs('AWS::S3::Bucket', 0);
  expect(Object.keys(withoutConsole.template.toJSON().Outputs as object)).not.toContain('AdminConsoleUrl');

  const consoleAcl = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/console/4a5b6c7d';
  const withAcl = synthesize({ adminConsole: 'true', adminConsoleWebAclArn: consoleAcl });
  withAcl.template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: consoleAcl }) });
});

test('the authorizer ARN is published under the default name, a copy under its own stack name, or the one given', () => {
  const named = (context: Record<string, string>) =>
    (Object.values(resourcesOf(synthesize(context).template, 'AWS::SSM::Parameter'))[0]!.Properties as { Name: string }).Name;
  expect(named({})).toBe(DEFAULT_AUTHORIZER_PARAMETER_NAME);
  expect(named({ stackName: 'ApiTokenServiceStaging' })).toBe('/api-token-service/ApiTokenServiceStaging/authorizer-function-arn');
  expect(named({ authorizerParameterName: '/platform/tokens/authorizer' })).toBe('/platform/tokens/authorizer');
});

test.each<[string, Record<string, string>, RegExp]>([
  ['a rate that is not a number', { throttlingRateLimit: 'fast' }, /Context throttlingRateLimit must be a number, got "fast"/],
  ['a negative retention', { auditRetentionDays: '-1' }, /Context auditRetentionDays must be a number/],
  ['a fractional retention', { auditRetentionDays: '1.5' }, /auditRetentionDays must be a positive whole number/],
  ['a topic ARN of another service', { alarmTopicArn: 'arn:aws:sqs:eu-west-1:123456789012:q' }, /Context alarmTopicArn must be the ARN of an SNS topic/],
  ['both a topic and an e-mail', { alarmTopicArn: TOPIC_ARN, alarmEmail: 'on-call@example.com' }, /alarmEmail or alarmTopicArn, not both/],
  ['an e-mail that is not one', { alarmEmail: 'on-call' }, /alarmEmail must be an e-mail address/],
  ['a web ACL of another service', { webAclArn: 'arn:aws:s3:::bucket' }, /webAclArn must be the ARN of a regional WAFv2 web ACL/],
  ['a parameter name without its slash', { authorizerParameterName: 'tokens' }, /parameter name must start with \//],
  ['a console switch that is not true or false', { adminConsole: 'no' }, /Context adminConsole must be true or false, got "no"/],
  ['a regional web ACL for the console', { adminConsoleWebAclArn: WEB_ACL_ARN }, /adminConsoleWebAclArn must be the ARN of a WAFv2 web ACL of scope CLOUDFRONT/],
  [
    'a console web ACL without the console',
    { adminConsole: 'false', adminConsoleWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/console/4a5b6c7d' },
    /adminConsoleWebAclArn needs the admin console/,
  ],
])('refuses %s', (_, context, message) => {
  expect(() => synthesize(context)).toThrow(message);
});
