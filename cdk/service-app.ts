// What `cdk synth` builds, shared by the CLI entry (cdk/bin/app.ts) and the tests: the service stack
// with cdk-nag's AwsSolutions checks, which fail synthesis on any finding not acknowledged with a reason, and
// the settings given as CDK context (cdk/app-context.ts). Environment-agnostic (no account, region or
// lookups), so it synthesizes without AWS credentials.
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiTokenServiceStack } from './api-token-service-stack';
import { stackPropsFromContext } from './app-context';

export const DEFAULT_STACK_NAME = 'ApiTokenService';
/** The tags of the service stack and, through CloudFormation, of each of its resources. */
export const SERVICE_TAGS: Readonly<Record<string, string>> = { service: 'api-token-service' };

/** Adds the service stack (named by `-c stackName=...`, default ApiTokenService) and the checks to `app`. */
export function defineApp(app: App): ApiTokenServiceStack {
  const stackName: unknown = app.node.tryGetContext('stackName') ?? DEFAULT_STACK_NAME;
  if (typeof stackName !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new Error(`Context stackName must be a CloudFormation stack name, got ${JSON.stringify(stackName)}`);
  }
  const stack = new ApiTokenServiceStack(app, stackName, {
    ...stackPropsFromContext(app.node, stackName, DEFAULT_STACK_NAME),
    description: 'API token service: Zendesk-style API tokens (REST API, Lambda authorizer, DynamoDB)',
    // Stack tags, not Tags.of(stack): CloudFormation copies them onto every resource that takes tags in the
    // region it deploys to. Tags written on each resource would name resource types that take none there:
    // AWS::CloudWatch::Dashboard has Tags in eu-west-1 but not in us-east-1 (cfn-lint E3002), where the
    // deployment would fail. They travel in the cloud assembly's manifest, which `cdk deploy` applies.
    tags: SERVICE_TAGS,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
