// The one construct every function of the service is built with: it fixes the defaults (Node.js 22 on
// ARM64, the prebuilt bundle with its source map, its own log group with retention, active tracing, an
// explicit role) so that the authorizer and each route only add what differs: entry, description, grants.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaRuntimeFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ILogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_HANDLER, bundleCode } from './lambda-code';
import { dependOnRolePolicyOnly } from './template-hygiene';
import { HANDLER_TIMEOUT_SECONDS } from '../shared/platform/time-budget';

export const FUNCTION_DEFAULTS = {
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  /** CPU scales with memory; 512 MB keeps cold starts of the 0.6–1 MB bundles short at a small cost. */
  memorySize: 512,
  /** The handlers' Lambda timeout; their own deadline ends before it (shared/platform/time-budget.ts). */
  timeout: Duration.seconds(HANDLER_TIMEOUT_SECONDS),
} as const;

export interface LambdaFunctionProps {
  /** Handler module relative to the repository root (e.g. `functions/authorizer.ts`): names its prebuilt bundle. */
  readonly entry: string;
  readonly description: string;
  /** The service's environment (see function-environment.ts); NODE_OPTIONS is added here. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** @default FUNCTION_DEFAULTS.timeout */
  readonly timeout?: Duration;
  /** @default FUNCTION_DEFAULTS.memorySize */
  readonly memorySize?: number;
}

/**
 * A Lambda function's role that may write only to `logGroup`: an explicit role instead of
 * AWSLambdaBasicExecutionRole, whose managed policy lets a function write to any log group in the account.
 */
export function roleWritingOnlyTo(scope: Construct, id: string, logGroup: ILogGroup, description: string): Role {
  const role = new Role(scope, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
  role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  return role;
}

export class LambdaFunction extends Construct {
  readonly function: LambdaRuntimeFunction;
  /** The function's own role: log writing for its own log group, X-Ray, and whatever the caller grants. */
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    this.role = roleWritingOnlyTo(this, 'Role', this.logGroup, `Runs ${props.entry}`);

    this.function = new LambdaRuntimeFunction(this, 'Function', {
      code: bundleCode(props.entry),
      handler: BUNDLE_HANDLER,
      description: props.description,
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        ...props.environment,
        // Stack traces point at the TypeScript sources, through the bundle's source map.
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    dependOnRolePolicyOnly(this.function, this.role);

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level ' +
        'permissions; the template tests assert that no other action is granted on "*".',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'docs/architecture.md, "Deployment" fixes Node.js 22 (an LTS line supported by Lambda); the bundles target node22 and the tests run on ' +
        'that line. Moving to a newer runtime is a deliberate change of FUNCTION_DEFAULTS and the esbuild target together.',
    });
  }
}
