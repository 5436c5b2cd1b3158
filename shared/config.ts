// Runtime configuration: every environment variable the product reads, validated once, in one place.
import { z } from 'zod';

/** Where `npm start` serves the API. */
export const DEFAULT_API_BASE_URL = 'http://127.0.0.1:3000';

const EnvSchema = z.object({
  TABLE_NAME: z.string().min(3).max(255).default('api-tokens'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Base of the `url` fields when there is no request to derive it from (CLI). */
  API_BASE_URL: z.url().default(DEFAULT_API_BASE_URL).transform((url) => url.replace(/\/+$/, '')),
  /** Audit entries expire after this many days; unset keeps them forever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().optional(),
});

export interface Config {
  tableName: string;
  dynamodbEndpoint: string | undefined;
  region: string;
  apiBaseUrl: string;
  auditRetentionDays: number | undefined;
}

/** Reads and validates the environment; throws a readable error naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env_ = parsed.data;
  return {
    tableName: env_.TABLE_NAME,
    dynamodbEndpoint: env_.DYNAMODB_ENDPOINT,
    region: env_.AWS_REGION,
    apiBaseUrl: env_.API_BASE_URL,
    auditRetentionDays: env_.AUDIT_RETENTION_DAYS,
  };
}
