// The settings of this repository's CDK app, read from CDK context (`cdk synth -c alarmEmail=ops@example.com`
// or cdk.json's "context"): values given on the command line arrive as strings, so numbers and flags are parsed here,
// strictly, and a bad value stops synthesis with a message naming the key. The construct validates the rest.
// Also the context `cdk synth` gives the app — cdk.json's, with its feature flags — for apps built
// in-process (the CDK tests and `npm run lint:cfn`), so that they synthesize the template the CLI would.
import type { Node } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiTokenServiceStackProps } from './api-token-service-stack';
import { DEFAULT_AUTHORIZER_PARAMETER_NAME } from './token-authorizer';

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** The context keys the app reads, besides stackName. */
export const SERVICE_CONTEXT_KEYS = [
  'alarmEmail',
  'alarmTopicArn',
  'webAclArn',
  'auditRetentionDays',
  'throttlingRateLimit',
  'throttlingBurstLimit',
  'authorizerParameterName',
  'adminConsole',
  'adminConsoleWebAclArn',
] as const;

type ContextKey = (typeof SERVICE_CONTEXT_KEYS)[number];

function text(node: Node, key: ContextKey): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function number(node: Node, key: ContextKey): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  throw new Error(`Context ${key} must be a number, got ${JSON.stringify(value)}`);
}

function flag(node: Node, key: ContextKey): boolean | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`Context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * The stack's props from context. A stack under another name than the default publishes its authorizer
 * under its own parameter name, so that two copies can share an account and region.
 */
export function stackPropsFromContext(node: Node, stackName: string, defaultStackName: string): ApiTokenServiceStackProps {
  const alarmTopicArn = text(node, 'alarmTopicArn');
  if (alarmTopicArn !== undefined && !/^arn:[^:]+:sns:[^:]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(alarmTopicArn)) {
    throw new Error(`Context alarmTopicArn must be the ARN of an SNS topic, got ${JSON.stringify(alarmTopicArn)}`);
  }
  const alarmEmail = text(node, 'alarmEmail');
  if (alarmEmail !== undefined && alarmTopicArn !== undefined) {
    throw new Error('Give context alarmEmail or alarmTopicArn, not both (subscribe the address to the topic instead)');
  }
  const webAclArn = text(node, 'webAclArn');
  const auditRetentionDays = number(node, 'auditRetentionDays');
  const throttlingRateLimit = number(node, 'throttlingRateLimit');
  const throttlingBurstLimit = number(node, 'throttlingBurstLimit');
  const adminConsole = flag(node, 'adminConsole');
  const adminConsoleWebAclArn = text(node, 'adminConsoleWebAclArn');
  const authorizerParameterName =
    text(node, 'authorizerParameterName') ??
    (stackName === defaultStackName ? DEFAULT_AUTHORIZER_PARAMETER_NAME : `/api-token-service/${stackName}/authorizer-function-arn`);
  return {
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
    service: {
      authorizerParameterName,
      ...(alarmEmail === undefined ? {} : { alarmEmail }),
      ...(webAclArn === undefined ? {} : { webAclArn }),
      ...(auditRetentionDays === undefined ? {} : { auditRetentionDays }),
      ...(throttlingRateLimit === undefined ? {} : { throttlingRateLimit }),
      ...(throttlingBurstLimit === undefined ? {} : { throttlingBurstLimit }),
      ...(adminConsole === undefined ? {} : { adminConsole }),
      ...(adminConsoleWebAclArn === undefined ? {} : { adminConsoleWebAclArn }),
    },
  };
}
