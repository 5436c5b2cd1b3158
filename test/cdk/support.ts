// Helpers for the CDK tests: apps built with cdk.json's context (the feature flags `cdk synth` uses), in a
// temporary output directory, with bundling either real or skipped (CDK's own switch for stacks that are
// not being deployed), and with Docker made unusable so that bundling can never silently fall back to it.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkJsonContext } from '../../cdk/app-context';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiTokenService } from '../../cdk/api-token-service';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** CDK runs `$CDK_DOCKER` for Docker bundling; `false` exits 1, so a fallback to Docker fails loudly. */
export const NO_DOCKER = { CDK_DOCKER: 'false' } as const;

/**
 * A new app as `cdk synth` would build it, with `context` as given by `-c key=value`. The functions deploy
 * the bundles the test run built (test/setup/global-setup.ts); `bundle: false` also skips bundling of any
 * other asset (CDK's switch for stacks that are not being deployed).
 */
export function newApp(options: { bundle: boolean; context?: Record<string, string> }): App {
  Object.assign(process.env, NO_DOCKER);
  return new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-test-')),
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
  });
}

export type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** Resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/**
 * The service's own functions (the authorizer and one per route), by logical id: every function but
 * aws-cdk-lib's, which copies the admin console build into its bucket (the service token of its deployments).
 */
export function serviceFunctionsOf(template: Template): Record<string, Resource> {
  const deploymentFunctions = Object.values(resourcesOf(template, 'Custom::CDKBucketDeployment')).map((deployment) => referencedId(deployment.Properties!.ServiceToken));
  return Object.fromEntries(Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(([id]) => !deploymentFunctions.includes(id)));
}

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` → id. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** Every (method, resource path) pair of the REST API in `template`, as `GET /api/v2/users/me`. */
export function methodsOf(template: Template): string[] {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (resourceId: string | undefined): string => {
    const resource = resourceId === undefined ? undefined : resources[resourceId];
    if (!resource) return ''; // the root resource (RestApi.RootResourceId)
    const properties = resource.Properties as { ParentId: unknown; PathPart: string };
    return `${pathOf(referencedId(properties.ParentId))}/${properties.PathPart}`;
  };
  return Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'))
    .map((method) => {
      const properties = method.Properties as { HttpMethod: string; ResourceId: unknown };
      return `${properties.HttpMethod} ${pathOf(referencedId(properties.ResourceId)) || '/'}`;
    })
    .sort();
}

export interface PolicyStatementOf {
  /** The logical id of the AWS::IAM::Policy that holds the statement. */
  policy: string;
  Action: string[];
  Resource: unknown[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every IAM statement of every AWS::IAM::Policy, with the policy's logical id. */
export function policyStatements(template: Template): PolicyStatementOf[] {
  return Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(([policy, resource]) => {
    const document = (resource.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown; Condition?: PolicyStatementOf['Condition'] }[] } })
      .PolicyDocument;
    return document.Statement.map((statement) => ({
      policy,
      Action: [statement.Action].flat(),
      Resource: [statement.Resource].flat(),
      ...(statement.Condition === undefined ? {} : { Condition: statement.Condition }),
    }));
  });
}

/** The service construct alone, with its defaults, in a stack of its own; no bundling. */
export function synthesizeService(): { template: Template; service: ApiTokenService; stack: Stack } {
  const stack = new Stack(newApp({ bundle: false }), 'Service');
  const service = new ApiTokenService(stack, 'Tokens', {});
  return { template: Template.fromStack(stack), service, stack };
}

/** The DynamoDB statements of the policies attached to the role of the function `functionId`. */
export function dynamoStatementsOfFunction(template: Template, functionId: string): PolicyStatementOf[] {
  const fn = template.toJSON().Resources[functionId] as { Properties: { Role: unknown } };
  const roleId = referencedId(fn.Properties.Role)!;
  const policies = Object.entries(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter(([, policy]) => JSON.stringify((policy.Properties as { Roles: unknown }).Roles).includes(`"${roleId}"`))
    .map(([id]) => id);
  return policyStatements(template).filter((statement) => policies.includes(statement.policy) && statement.Action.some((action) => action.startsWith('dynamodb:')));
}
