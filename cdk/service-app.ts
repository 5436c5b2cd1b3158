// What `cdk synth` builds, shared by the CLI entry (cdk/bin/app.ts) and the tests: the service stack
// with cdk-nag's AwsSolutions checks, which fail synthesis on any finding not acknowledged with a reason, and
// the settings given as CDK context (cdk/app-context.ts). Environment-agnostic (no account, region or
// lookups), so it synthesizes without AWS credentials.
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiTokenServiceStack } from './api-token-service-stack';
import { stackPropsFromContext } from './app-context';

export const DEFAULT_STACK_NAME = 'ApiTokenService';

/** Adds the service stack (named by `-c stackName=...`, default ApiTokenService) and the checks to `app`. */
export function defineApp(app: App): ApiTokenServiceStack {
  const stackName: unknown = app.node.tryGetContext('stackName') ?? DEFAULT_STACK_NAME;
  if (typeof stackName !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new Error(`Context stackName must be a CloudFormation stack name, got ${JSON.stringify(stackName)}`);
  }
  const stack = new ApiTokenServiceStack(app, stackName, {
    ...stackPropsFromContext(app.node, stackName, DEFAULT_STACK_NAME),
    description: 'API token service: Zendesk-style API tokens (REST API, Lambda authorizer, DynamoDB)',
  });
  Tags.of(stack).add('service', 'api-token-service');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
