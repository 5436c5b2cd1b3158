// The table's name: the default and the pattern a configured name must match. A module of its own, with
// no imports, so that the benchmark's bare-client baseline (bench/bare-batch-get.ts) can read the default
// without taking in the configuration's zod schema.
/** DynamoDB's rule for table names (the CDK construct checks its `tableName` prop with it too). */
export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
export const DEFAULT_TABLE_NAME = 'api-tokens';
