// Configuration: defaults, parsing, and readable errors naming the variable.
import { loadConfig } from '../../shared/platform/config';

test('defaults', () => {
  expect(loadConfig({})).toEqual({
    tableName: 'api-tokens',
    dynamodbEndpoint: undefined,
    region: 'us-east-1',
    apiBaseUrl: 'http://127.0.0.1:3000',
    auditRetentionDays: undefined,
    leakReportResponseFloorMs: 2_000,
  });
});

test('values are read and normalised; empty values count as unset', () => {
  expect(
    loadConfig({ TABLE_NAME: 'tokens-prod', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', AWS_REGION: 'eu-west-1', API_BASE_URL: 'https://api.example.com/', AUDIT_RETENTION_DAYS: '90' }),
  ).toEqual({ tableName: 'tokens-prod', dynamodbEndpoint: 'http://127.0.0.1:8000', region: 'eu-west-1', apiBaseUrl: 'https://api.example.com', auditRetentionDays: 90, leakReportResponseFloorMs: 2_000 });
  expect(loadConfig({ AUDIT_RETENTION_DAYS: '' }).auditRetentionDays).toBeUndefined();
  expect(loadConfig({ LEAK_REPORT_RESPONSE_FLOOR_MS: '0' }).leakReportResponseFloorMs).toBe(0);
});

test.each([
  [{ TABLE_NAME: 'x' }, 'TABLE_NAME: must be a DynamoDB table name'],
  [{ DYNAMODB_ENDPOINT: 'localhost' }, 'DYNAMODB_ENDPOINT: must be a URL'],
  [{ AUDIT_RETENTION_DAYS: '0' }, 'AUDIT_RETENTION_DAYS: must be positive'],
  [{ AUDIT_RETENTION_DAYS: '1.5' }, 'AUDIT_RETENTION_DAYS: must be a whole number of days'],
  [{ LEAK_REPORT_RESPONSE_FLOOR_MS: '-1' }, 'LEAK_REPORT_RESPONSE_FLOOR_MS: must not be negative'],
  [{ LEAK_REPORT_RESPONSE_FLOOR_MS: '4001' }, 'LEAK_REPORT_RESPONSE_FLOOR_MS: must be at most 4000'],
])('%j is refused: %s', (env, message) => {
  expect(() => loadConfig(env)).toThrow(message);
});
