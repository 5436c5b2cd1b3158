// The environment every function of the service gets, built in one place from the construct's settings.
// The names are the ones shared/platform/config.ts reads (a test parses this environment with loadConfig);
// AWS_REGION is not set here: Lambda sets it itself and rejects functions that try to.

export interface FunctionEnvironmentSettings {
  /** The deployed table's name (usually a token resolved at deploy time). */
  readonly tableName: string;
  /** Days before audit entries expire; undefined keeps them forever. */
  readonly auditRetentionDays?: number;
}

export function functionEnvironment(settings: FunctionEnvironmentSettings): Record<string, string> {
  return {
    TABLE_NAME: settings.tableName,
    ...(settings.auditRetentionDays === undefined ? {} : { AUDIT_RETENTION_DAYS: String(settings.auditRetentionDays) }),
  };
}
