// Small corrections to what CDK writes into the template, so that it lints clean (npm run lint:cfn) without
// changing what CloudFormation does.
import type { CfnResource } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * A Lambda function makes its CfnFunction depend on its whole role, which writes `DependsOn` the role
 * and its DefaultPolicy. The role is already a dependency through `Role: Fn::GetAtt` (cfn-lint W3005); the
 * policy is not, and must stay one: the function may be invoked as soon as it exists and needs its
 * permissions from the first call. This keeps the policy and drops the role from `DependsOn`.
 */
export function dependOnRolePolicyOnly(fn: LambdaFunction, role: IRole): void {
  const cfnFunction = fn.node.defaultChild as CfnResource;
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${fn.node.path}: its role ${role.node.path} has no DefaultPolicy to depend on`);
  cfnFunction.node.removeDependency(role);
  cfnFunction.node.addDependency(policy);
}
