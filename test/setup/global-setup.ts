// One DynamoDB Local for the whole test run; each test file makes its own table (test/support/tables.ts).
// The Lambda bundles and the admin console are built once, fresh, for the CDK tests to synthesize from
// (cdk/lambda-code.ts) and the browser tests to load.
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';
import { buildLambdaBundles } from '../../scripts/lambda-bundles';
import { buildConsole } from '../../scripts/console-build';

declare global {
  var __DYNAMODB_LOCAL__: DynamoDbLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [dynamodb] = await Promise.all([startDynamoDbLocal(), buildLambdaBundles(), buildConsole()]);
  globalThis.__DYNAMODB_LOCAL__ = dynamodb;
  process.env.TEST_DYNAMODB_ENDPOINT = dynamodb.endpoint;
}
