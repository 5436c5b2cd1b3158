// Stops the run's DynamoDB Local (Java included).
export default async function globalTeardown(): Promise<void> {
  await globalThis.__DYNAMODB_LOCAL__?.stop();
}
