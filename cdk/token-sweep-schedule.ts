// The token sweep's function and its schedule (docs/architecture.md, "Token sweep"): functions/sweep-tokens.ts
// built like every function of the service (lambda-function.ts), invoked by an EventBridge rule every hour,
// with least-privilege access to the table (table-access.ts: Query on the sweep's indexes, GetItem, its
// transaction writes).
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaRuntimeFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SWEEP_ENTRY } from './lambda-bundle';
import { LambdaFunction } from './lambda-function';
import { grantSweepAccess } from './table-access';
import { SWEEP_TIMEOUT_SECONDS } from '../shared/platform/time-budget';

/** How often the sweep runs: a run is bounded, so the period bounds how long a due token waits. */
export const SWEEP_PERIOD = Duration.hours(1);

export interface TokenSweepScheduleProps {
  readonly table: ITableV2;
  /** The service's environment (function-environment.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class TokenSweepSchedule extends Construct {
  readonly function: LambdaRuntimeFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: TokenSweepScheduleProps) {
    super(scope, id);
    const sweep = new LambdaFunction(this, 'SweepTokens', {
      entry: SWEEP_ENTRY,
      description: 'Token sweep: inactivity policy, deactivated-token retention, end of rotation graces (hourly)',
      environment: props.environment,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      timeout: Duration.seconds(SWEEP_TIMEOUT_SECONDS),
    });
    grantSweepAccess(props.table, sweep.role);
    this.function = sweep.function;
    this.rule = new Rule(this, 'Hourly', {
      description: 'Runs the token sweep every hour',
      schedule: Schedule.rate(SWEEP_PERIOD),
      // One attempt more after a failure; a run is idempotent, and the next hour's run catches up anyway.
      targets: [new LambdaTarget(sweep.function, { retryAttempts: 1 })],
    });
  }
}
