// The REST API's execution-log group, owned by the stack. With execution logging on, API Gateway writes to
// `API-Gateway-Execution-Logs_{restApiId}/{stageName}` and, when that group does not exist, creates it
// itself: kept forever and outside the stack, so it outlives the API and nothing sets its retention.
// Created here, with the same retention and removal policy as the access logs, and before the stage that
// turns logging on. A stage that has already logged has that group, made by API Gateway: the update that
// adds this one fails with "already exists" until the old group is deleted (cdk/README.md).
import { type RemovalPolicy, Token } from 'aws-cdk-lib';
import type { CfnStage, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The prefix API Gateway gives the execution-log group of every stage. */
export const EXECUTION_LOG_GROUP_PREFIX = 'API-Gateway-Execution-Logs_';

export interface ExecutionLogGroupProps {
  readonly retention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** Creates, in `scope`, the execution-log group of `api`'s deployment stage; the stage depends on it, so it exists first. */
export function addExecutionLogGroup(scope: Construct, api: RestApi, props: ExecutionLogGroupProps): LogGroup {
  const stage = api.deploymentStage;
  // The name as written on the stage: `stage.stageName` is the stage's Ref, and the group, created before the
  // stage, cannot refer to it.
  const { stageName } = stage.node.defaultChild as CfnStage;
  if (stageName === undefined || Token.isUnresolved(stageName)) {
    throw new Error(`${api.node.path}: the execution-log group needs the stage name as a literal, got ${String(stageName)}`);
  }
  const logGroup = new LogGroup(scope, 'ExecutionLogs', {
    logGroupName: `${EXECUTION_LOG_GROUP_PREFIX}${api.restApiId}/${stageName}`,
    retention: props.retention,
    removalPolicy: props.removalPolicy,
  });
  stage.node.addDependency(logGroup);
  return logGroup;
}
