// One DynamoDB Local for the whole test run; each test file makes its own table (test/support/tables.ts).
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';

declare global {
  var __DYNAMODB_LOCAL__: DynamoDbLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamodb = await startDynamoDbLocal();
  globalThis.__DYNAMODB_LOCAL__ = dynamodb;
  process.env.TEST_DYNAMODB_ENDPOINT = dynamodb.endpoint;
}
