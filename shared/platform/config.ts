// Runtime configuration: every environment variable the product reads, validated once, in one place.
// zod/mini: the same validation with a fraction of the bundle size, since every Lambda loads this module.
import * as z from 'zod/mini';
import { DEFAULT_TABLE_NAME, TABLE_NAME_PATTERN } from './table-name';
import { LEAK_REPORT_RESPONSE_FLOOR_MS, MAX_LEAK_REPORT_RESPONSE_FLOOR_MS } from './time-budget';

/** Where `npm start` serves the API. */
export const DEFAULT_API_BASE_URL = 'http://127.0.0.1:3000';

const EnvSchema = z.object({
  TABLE_NAME: z._default(z.string().check(z.regex(TABLE_NAME_PATTERN, 'must be a DynamoDB table name')), DEFAULT_TABLE_NAME),
  DYNAMODB_ENDPOINT: z.optional(z.url('must be a URL')),
  AWS_REGION: z._default(z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be an AWS region name')), 'us-east-1'),
  /** Base of the `url` fields when there is no request to derive it from (CLI). */
  API_BASE_URL: z._default(z.url('must be a URL'), DEFAULT_API_BASE_URL),
  /** Audit entries expire after this many days; unset keeps them forever. */
  AUDIT_RETENTION_DAYS: z.optional(z.coerce.number().check(z.int('must be a whole number of days'), z.positive('must be positive'))),
  /** Milliseconds before a leak report is answered (time-budget.ts); lower only to test. */
  LEAK_REPORT_RESPONSE_FLOOR_MS: z._default(
    z.coerce.number().check(
      z.int('must be a whole number of milliseconds'),
      z.gte(0, 'must not be negative'),
      z.lte(MAX_LEAK_REPORT_RESPONSE_FLOOR_MS, `must be at most ${MAX_LEAK_REPORT_RESPONSE_FLOOR_MS}`),
    ),
    LEAK_REPORT_RESPONSE_FLOOR_MS,
  ),
});

export interface Config {
  tableName: string;
  dynamodbEndpoint: string | undefined;
  region: string;
  apiBaseUrl: string;
  auditRetentionDays: number | undefined;
  /** How long after its handler started a leak report is answered, at the earliest. */
  leakReportResponseFloorMs: number;
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
    apiBaseUrl: env_.API_BASE_URL.replace(/\/+$/, ''),
    auditRetentionDays: env_.AUDIT_RETENTION_DAYS,
    leakReportResponseFloorMs: env_.LEAK_REPORT_RESPONSE_FLOOR_MS,
  };
}
