// The alarms that read the access log, in the synthesized template: AuthorizerErrors watches the requests
// API Gateway answered AUTHORIZER_FAILURE or AUTHORIZER_CONFIGURATION_ERROR (a metric filter on the access
// log), not the function's Lambda Errors, and ApiThrottled the 429s; each alarm's metric is exactly its
// filter's, per API. No bundling here.
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ALARM_THRESHOLDS } from '../../cdk/monitoring';
import type { ApiTokenService } from '../../cdk/api-token-service';
import { matchesFilterPattern } from '../support/filter-pattern';
import { type Resource, resourcesOf, synthesizeService } from './support';

let template: Template;
let service: ApiTokenService;
let stack: Stack;

beforeAll(() => {
  ({ template, service, stack } = synthesizeService());
});

const logicalIdOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);

interface MetricTransformation {
  MetricNamespace: string;
  MetricName: string;
  MetricValue: string;
  Dimensions?: { Key: string; Value: string }[];
}

function alarmNamed(id: string): Record<string, unknown> {
  const alarm = service.monitoring.alarms.find((candidate) => candidate.node.id === id);
  if (!alarm) throw new Error(`no alarm ${id}`);
  return resourcesOf(template, 'AWS::CloudWatch::Alarm')[logicalIdOf(alarm)]!.Properties!;
}

/** The metric filters of the access log, with the one metric each publishes. */
function accessLogFilters(): { pattern: string; metric: MetricTransformation; resource: Resource }[] {
  return Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter')).map((resource) => {
    const properties = resource.Properties as { FilterPattern: string; MetricTransformations: MetricTransformation[]; LogGroupName: unknown };
    expect(properties.MetricTransformations).toHaveLength(1);
    return { pattern: properties.FilterPattern, metric: properties.MetricTransformations[0]!, resource };
  });
}

/** The filter publishing the metric an alarm watches; fails when none does. */
function filterOfAlarm(alarm: Record<string, unknown>) {
  const filter = accessLogFilters().find(({ metric }) => metric.MetricNamespace === alarm.Namespace && metric.MetricName === alarm.MetricName);
  if (!filter) throw new Error(`no metric filter publishes ${String(alarm.Namespace)}/${String(alarm.MetricName)}`);
  return filter;
}

const restApiRef = () => ({ Ref: logicalIdOf(service.api) });

describe('AuthorizerErrors', () => {
  test('is not the authorizer function\'s Lambda Errors', () => {
    const alarm = alarmNamed('AuthorizerErrors');
    expect(alarm.Namespace).not.toBe('AWS/Lambda');
    expect(alarm.MetricName).not.toBe('Errors');
    expect(JSON.stringify(alarm)).not.toContain(logicalIdOf(service.authorizerFunction));
  });

  test('watches the authorizer-failure filter of the access log, per API, at ≥ 1 in 5 minutes', () => {
    const alarm = alarmNamed('AuthorizerErrors');
    expect(alarm).toMatchObject({
      Namespace: 'ApiTokenService',
      MetricName: 'AuthorizerFailures',
      Dimensions: [{ Name: 'apiId', Value: restApiRef() }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: ALARM_THRESHOLDS.authorizerErrors,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmDescription).toMatch(/AUTHORIZER_FAILURE/);
    const filter = filterOfAlarm(alarm);
    expect(filter.metric).toEqual({ MetricNamespace: 'ApiTokenService', MetricName: 'AuthorizerFailures', MetricValue: '1', Dimensions: [{ Key: 'apiId', Value: '$.apiId' }] });
    expect(filter.resource.Properties!.LogGroupName).toEqual({ Ref: logicalIdOf(service.accessLogGroup) });
  });

  test('its filter counts exactly the two authorizer-failure responses', () => {
    const { pattern } = filterOfAlarm(alarmNamed('AuthorizerErrors'));
    expect(pattern).toBe('{ ($.errorResponseType = "AUTHORIZER_FAILURE") || ($.errorResponseType = "AUTHORIZER_CONFIGURATION_ERROR") }');
    const line = (errorResponseType: string) => ({ status: '503', errorResponseType });
    expect(matchesFilterPattern(pattern, line('AUTHORIZER_FAILURE'))).toBe(true);
    expect(matchesFilterPattern(pattern, line('AUTHORIZER_CONFIGURATION_ERROR'))).toBe(true);
    for (const other of ['ACCESS_DENIED', 'UNAUTHORIZED', 'THROTTLED', 'INTEGRATION_FAILURE', 'DEFAULT_5XX', '-']) {
      expect([other, matchesFilterPattern(pattern, line(other))]).toEqual([other, false]);
    }
  });
});

describe('ApiThrottled', () => {
  test('watches the 429 filter of the access log, per API', () => {
    const alarm = alarmNamed('ApiThrottled');
    expect(alarm).toMatchObject({ Namespace: 'ApiTokenService', MetricName: 'ThrottledRequests', Dimensions: [{ Name: 'apiId', Value: restApiRef() }] });
    const filter = filterOfAlarm(alarm);
    expect(filter.pattern).toBe('{ $.status = "429" }');
    expect(filter.metric.Dimensions).toEqual([{ Key: 'apiId', Value: '$.apiId' }]);
  });
});

test('the access log has exactly these two metric filters', () => {
  expect(accessLogFilters().map(({ metric }) => metric.MetricName).sort()).toEqual(['AuthorizerFailures', 'ThrottledRequests']);
});

test("the dashboard's Authorizer graph shows invocations, the failures the alarm watches, and duration p99", () => {
  const [dashboard] = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
  const body = JSON.stringify(dashboard!.Properties!.DashboardBody);
  const graph = /\\"title\\":\\"Authorizer\\".*?\\"title\\"/.exec(body)?.[0] ?? '';
  expect(graph).toContain('Invocations');
  expect(graph).toContain('AuthorizerFailures');
  expect(graph).toContain('Duration');
  expect(graph).toContain('p99');
});
