// The stage's access log format, rendered as API Gateway renders it for the requests the service sees — a
// success, the two 401s (no header; the authorizer's Deny), a 429, authorizer failures and an integration
// failure — must give one valid JSON object per line, with the fields the metric filters read: the 429 line
// counts as ThrottledRequests, the authorizer-failure lines as AuthorizerFailures, and nothing else counts.
//
// Rendering, as API Gateway documents it: each `$context.…` variable is replaced by its value, as is (no
// escaping), and a variable without a value by `-`; `$context.error.messageString` is the quoted value of
// `$context.error.message`, namely `"$context.error.message"`.
import type { Template } from 'aws-cdk-lib/assertions';
import { accessLogFormat } from '../../cdk/monitoring';
import { matchesFilterPattern } from '../support/filter-pattern';
import { resourcesOf, synthesizeService } from './support';

type ContextValues = Record<string, string>;

const VARIABLE = /\$context\.([A-Za-z0-9_.]+)/g;

/** Every variable the samples give a value to, or that may be absent; anything else in the format is unknown. */
const KNOWN = new Set([
  'requestId', 'apiId', 'requestTime', 'identity.sourceIp', 'identity.userAgent', 'httpMethod', 'resourcePath', 'protocol',
  'status', 'responseLength', 'responseLatency', 'authorizer.principalId', 'authorizer.accountId', 'authorizer.tokenId',
  'authorizer.status', 'authorizer.latency', 'integrationStatus', 'integrationLatency', 'error.responseType', 'error.message',
  'error.messageString', 'xrayTraceId',
]);

function render(format: string, values: ContextValues): string {
  return format.replace(VARIABLE, (_, name: string) => {
    if (!KNOWN.has(name)) throw new Error(`the format uses $context.${name}, which this test does not render`);
    if (name === 'error.messageString') return `"${values['error.message'] ?? '-'}"`;
    return values[name] ?? '-';
  });
}

const REQUEST: ContextValues = {
  requestId: '5b0c7f4e-2d3a-4f6b-9c1d-8e7a6b5c4d3e',
  apiId: 'abc123',
  requestTime: '02/Dec/2026:10:15:30 +0000',
  'identity.sourceIp': '198.51.100.7',
  'identity.userAgent': 'curl/8.5.0',
  httpMethod: 'GET',
  resourcePath: '/api/v2/users/me.json',
  protocol: 'HTTP/1.1',
  responseLength: '64',
  responseLatency: '41',
  xrayTraceId: '1-674d8a52-6f1d2c3b4a5e6f708192a3b4',
};

const gatewayError = (status: string, responseType: string, message: string): ContextValues => ({
  ...REQUEST,
  status,
  'error.responseType': responseType,
  'error.message': message,
});

const SAMPLES: Record<string, ContextValues> = {
  success: {
    ...REQUEST,
    status: '200',
    'authorizer.principalId': 'acme:42',
    'authorizer.accountId': 'acme',
    'authorizer.tokenId': '5',
    'authorizer.status': '200',
    'authorizer.latency': '23',
    integrationStatus: '200',
    integrationLatency: '12',
  },
  'no Authorization header': gatewayError('401', 'UNAUTHORIZED', 'Unauthorized'),
  'denied by the authorizer': {
    ...gatewayError('401', 'ACCESS_DENIED', 'User is not authorized to access this resource with an explicit deny'),
    'authorizer.principalId': 'anonymous',
    'authorizer.status': '200',
    'authorizer.latency': '19',
  },
  throttled: gatewayError('429', 'THROTTLED', 'Too Many Requests'),
  'authorizer failure': gatewayError('503', 'AUTHORIZER_FAILURE', 'Internal server error'),
  'authorizer configuration error': gatewayError('503', 'AUTHORIZER_CONFIGURATION_ERROR', 'Internal server error'),
  'integration failure': { ...gatewayError('502', 'INTEGRATION_FAILURE', 'Internal server error'), integrationStatus: '200' },
};

let template: Template;
let format: string;

beforeAll(() => {
  ({ template } = synthesizeService());
  const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
  format = (stage!.Properties!.AccessLogSetting as { Format: string }).Format;
});

/** The pattern of the access log's metric filter that publishes `metricName`. */
function patternOf(metricName: string): string {
  const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter')).map(
    (resource) => resource.Properties as { FilterPattern: string; MetricTransformations: { MetricName: string }[] },
  );
  const filter = filters.find((candidate) => candidate.MetricTransformations.some((metric) => metric.MetricName === metricName));
  if (!filter) throw new Error(`no metric filter publishes ${metricName}`);
  return filter.FilterPattern;
}

const parsed = (name: string) => JSON.parse(render(format, SAMPLES[name]!)) as Record<string, unknown>;

test('the deployed format is the exported one, and every variable in it is one this test renders', () => {
  expect(format).toBe(accessLogFormat.toString());
  expect([...format.matchAll(VARIABLE)].length).toBeGreaterThan(15);
  expect(() => render(format, {})).not.toThrow();
});

test.each(Object.keys(SAMPLES))('%s: the line is one JSON object of strings, with every field', (name) => {
  const line = render(format, SAMPLES[name]!);
  expect(line).not.toContain('\n');
  const fields = JSON.parse(line) as Record<string, unknown>;
  expect(Object.keys(fields)).toEqual(Object.keys(JSON.parse(format) as object));
  for (const value of Object.values(fields)) expect(typeof value).toBe('string');
});

test('the fields say what happened', () => {
  expect(parsed('success')).toMatchObject({
    status: '200',
    principalId: 'acme:42',
    accountId: 'acme',
    tokenId: '5',
    integrationStatus: '200',
    errorResponseType: '-',
    errorMessage: '-',
  });
  expect(parsed('no Authorization header')).toMatchObject({ status: '401', errorResponseType: 'UNAUTHORIZED', errorMessage: 'Unauthorized', principalId: '-' });
  expect(parsed('denied by the authorizer')).toMatchObject({ status: '401', errorResponseType: 'ACCESS_DENIED', principalId: 'anonymous', accountId: '-' });
  expect(parsed('throttled')).toMatchObject({ status: '429', errorResponseType: 'THROTTLED', errorMessage: 'Too Many Requests' });
  expect(parsed('authorizer failure')).toMatchObject({ status: '503', errorResponseType: 'AUTHORIZER_FAILURE', errorMessage: 'Internal server error' });
  expect(parsed('integration failure')).toMatchObject({ status: '502', errorResponseType: 'INTEGRATION_FAILURE', errorMessage: 'Internal server error' });
});

test.each([
  ['ThrottledRequests', ['throttled']],
  ['AuthorizerFailures', ['authorizer failure', 'authorizer configuration error']],
])('%s counts exactly the lines of %j', (metricName, expected) => {
  const pattern = patternOf(metricName);
  const counted = Object.keys(SAMPLES).filter((name) => matchesFilterPattern(pattern, parsed(name)));
  expect(counted).toEqual(expected);
});
