// What keeps the template clean for cfn-lint (npm run lint:cfn runs it) without changing what CloudFormation
// does: tags at stack level, not on resource types a region does not tag, and each function ordered after its
// role's policy without a DependsOn that repeats its GetAtt of the role. Bundling is skipped here.
import type { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineApp, SERVICE_TAGS } from '../../cdk/service-app';
import { newApp, referencedId, resourcesOf } from './support';

const app = newApp({ bundle: false });
const stack = defineApp(app);
const assembly = app.synth();
const template = Template.fromStack(stack);

test('the service tags are stack tags, which CloudFormation copies onto what takes them; no resource names them itself', () => {
  expect(assembly.getStackArtifact(stack.artifactId).tags).toEqual({ service: 'api-token-service' });
  expect(SERVICE_TAGS).toEqual({ service: 'api-token-service' });
  const tagged = Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties?: { Tags?: unknown } }>)
    .filter(([, resource]) => JSON.stringify(resource.Properties?.Tags ?? []).includes('"service"'))
    .map(([id, resource]) => `${id} ${resource.Type}`);
  expect(tagged).toEqual([]);
  expect(Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard')).map((dashboard) => dashboard.Properties!.Tags)).toEqual([undefined]);
});

test("each function depends on its role's policy, and on its role only through the GetAtt", () => {
  const policies = resourcesOf(template, 'AWS::IAM::Policy');
  const functions = Object.entries(resourcesOf(template, 'AWS::Lambda::Function'));
  // The routes', the authorizer, the token sweep, and aws-cdk-lib's that copies the admin console into its bucket.
  expect(functions).toHaveLength(Object.keys(stack.service.functions).length + 3);
  for (const [id, fn] of functions) {
    const roleId = referencedId(fn.Properties!.Role)!;
    const rolePolicies = Object.keys(policies).filter((policyId) => JSON.stringify((policies[policyId]!.Properties as { Roles: unknown }).Roles) === JSON.stringify([{ Ref: roleId }]));
    expect(rolePolicies).toHaveLength(1);
    expect({ function: id, dependsOn: [fn.DependsOn].flat() }).toEqual({ function: id, dependsOn: rolePolicies });
  }
  // The authorizer's role is the one its function runs with, as built.
  const authorizer = stack.service.authorizerFunction;
  expect(referencedId((template.toJSON().Resources[stack.getLogicalId(authorizer.node.defaultChild as CfnResource)] as { Properties: { Role: unknown } }).Properties.Role)).toBe(
    stack.getLogicalId(authorizer.role!.node.defaultChild as CfnResource),
  );
});
