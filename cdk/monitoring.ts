// Alarms and a dashboard for the service: authorizer failures (every request fails closed while they last,
// counted from the access log), API 5xx, throttling at the API (429s counted from the access log) and in
// Lambda, DynamoDB system errors and throttling, and denied authentications by reason (the authorizer's
// custom metric).
import { Duration } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITableV2, Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type IFilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { DenyReason } from '../shared/domain/verification';
import type { GatewayResponseType } from '../shared/http/gateway-responses';
import {
  AUTHENTICATION_DENIED_METRIC,
  DENY_REASON_DIMENSION,
  METRICS_NAMESPACE,
  METRICS_SERVICE_NAME,
} from '../shared/platform/metric-names';

const PERIOD = Duration.minutes(5);

/** `listApiTokens` → `ListApiTokens`: construct ids from route names. */
export const pascalCase = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** Thresholds, each a sum over one 5-minute period. */
export const ALARM_THRESHOLDS = {
  /**
   * Requests API Gateway answered AUTHORIZER_FAILURE or AUTHORIZER_CONFIGURATION_ERROR (the 503): the
   * authorizer fails closed, so any one means a caller got a 503 instead of an answer. Denials are not
   * failures and do not count.
   */
  authorizerErrors: 1,
  /** 5xx answers of the API (handler 500/503s, authorizer failures, integration errors). */
  api5xx: 5,
  /** 429s from stage throttling: clients are being turned away. */
  apiThrottled: 10,
  /** Lambda refused invocations (account or reserved concurrency exhausted), per function. */
  lambdaThrottles: 1,
  /** DynamoDB's own failures (HTTP 500), and requests it throttled. */
  dynamoDbSystemErrors: 1,
  dynamoDbThrottles: 1,
  /** Failed runs of the hourly token sweep (thrown or timed out): due tokens wait until one succeeds. */
  sweepErrors: 1,
  /**
   * Denials for a well-formed token of a real account whose secret does not match: someone holds token
   * ids and is guessing secrets, or a client has a corrupted token.
   */
  wrongSecrets: 50,
} as const;

/** The reason the wrong-secret alarm watches; typed so that renaming it in the domain breaks the build. */
const WRONG_SECRET: DenyReason = 'wrong_secret';

/**
 * The operations the service calls, for DynamoDB's per-operation metrics (a math expression may hold at
 * most 10 metrics, so not all of them). Transaction items are reported under TransactWriteItems.
 */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.QUERY,
  Operation.BATCH_GET_ITEM,
  Operation.UPDATE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/** The gateway responses of an authorizer that failed (threw, timed out, or answered something unusable). */
export const AUTHORIZER_FAILURE_RESPONSE_TYPES = ['AUTHORIZER_FAILURE', 'AUTHORIZER_CONFIGURATION_ERROR'] as const satisfies readonly GatewayResponseType[];

/**
 * The stage's access log: one JSON line per request, no headers (never the Authorization header), and the
 * resource template rather than the raw path — a client that pastes a token where an id belongs must not
 * leave it in the logs.
 *
 * Every value is a JSON string, between the quotes JSON.stringify puts around each variable, the numbers
 * too: a variable without a value renders `-`, which is no JSON number, and the metric filters compare
 * strings (`$.status = "429"`). So the error message is `"$context.error.message"`, not
 * `$context.error.messageString`: API Gateway documents messageString only as the message already in
 * quotes (`"$context.error.message"`, meant for gateway response templates, where there always is an
 * error), so between quotes it rendered `""Too Many Requests""` and broke every error line — the 429 filter
 * never matched — and unquoted, nothing documents what it renders on a request without an error, where the
 * plain variable renders `-`. Neither form is documented to escape a quote inside the message; the messages
 * are API Gateway's own texts, which hold none.
 */
export const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    apiId: AccessLogField.contextApiId(),
    requestTime: AccessLogField.contextRequestTime(),
    ip: AccessLogField.contextIdentitySourceIp(),
    userAgent: AccessLogField.contextIdentityUserAgent(),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    protocol: AccessLogField.contextProtocol(),
    status: AccessLogField.contextStatus(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    principalId: AccessLogField.contextAuthorizerPrincipalId(),
    accountId: AccessLogField.contextAuthorizer('accountId'),
    tokenId: AccessLogField.contextAuthorizer('tokenId'),
    authorizerStatus: AccessLogField.contextAuthorizerStatus(),
    authorizerLatency: AccessLogField.contextAuthorizerLatency(),
    integrationStatus: AccessLogField.contextIntegrationStatus(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    errorResponseType: AccessLogField.contextErrorResponseType(),
    errorMessage: AccessLogField.contextErrorMessage(),
    xrayTraceId: AccessLogField.contextXrayTraceId(),
  }),
);

export interface ServiceMonitoringProps {
  readonly api: RestApi;
  readonly accessLogGroup: ILogGroup;
  readonly authorizerFunction: IFunction;
  /** Every function of the service by name, the authorizer included. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The scheduled token sweep: no caller sees its failures, so its errors have an alarm of their own. */
  readonly sweepFunction?: IFunction;
  readonly table: ITableV2;
  /** Where alarms notify; without it they only change state (and show on the dashboard). */
  readonly alarmTopic?: ITopic;
}

export class ServiceMonitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  /** Denied authentications, one line per reason (a search: new reasons appear without a deploy). */
  readonly deniedByReason: IMetric;
  private readonly alarmTopic: ITopic | undefined;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { api, table } = props;
    this.alarmTopic = props.alarmTopic;
    const functions = Object.entries(props.functions);

    /** Access-log lines matching `filterPattern`, counted per API (the line's `apiId`): a 5-minute sum. */
    const accessLogCount = (id: string, metricName: string, filterPattern: IFilterPattern) =>
      new MetricFilter(this, id, {
        logGroup: props.accessLogGroup,
        filterPattern,
        metricNamespace: METRICS_NAMESPACE,
        metricName,
        metricValue: '1',
        dimensions: { apiId: '$.apiId' },
      }).metric({ statistic: 'Sum', period: PERIOD, dimensionsMap: { apiId: api.restApiId } });

    // API Gateway publishes no 429 metric of its own; count them from the access log, per API.
    const apiThrottled = accessLogCount('ThrottledRequestsFilter', 'ThrottledRequests', FilterPattern.stringValue('$.status', '=', '429'));

    // The authorizer's failures as callers met them: API Gateway's answer in the access log, so that timeouts
    // and crashes count too (a function that never returns emits nothing), and denials, which are answers, do not.
    const authorizerFailures = accessLogCount(
      'AuthorizerFailuresFilter',
      'AuthorizerFailures',
      FilterPattern.any(...AUTHORIZER_FAILURE_RESPONSE_TYPES.map((type) => FilterPattern.stringValue('$.errorResponseType', '=', type))),
    );

    const wrongSecrets = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: AUTHENTICATION_DENIED_METRIC,
      dimensionsMap: { service: METRICS_SERVICE_NAME, [DENY_REASON_DIMENSION]: WRONG_SECRET },
      statistic: 'Sum',
      period: PERIOD,
    });
    this.deniedByReason = new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${DENY_REASON_DIMENSION},service} MetricName="${AUTHENTICATION_DENIED_METRIC}" service="${METRICS_SERVICE_NAME}"', 'Sum', ${PERIOD.toSeconds()})`,
      usingMetrics: {},
      label: 'Denied authentications',
      period: PERIOD,
    });

    const apiServerErrors = api.metricServerError({ statistic: 'Sum', period: PERIOD });
    const tableSystemErrors = table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD });
    const tableThrottles = table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD });

    // The id stays AuthorizerErrors: the runbooks name it.
    this.alarm('AuthorizerErrors', authorizerFailures, ALARM_THRESHOLDS.authorizerErrors,
      'API Gateway answered 503 because the API token authorizer failed (errorResponseType AUTHORIZER_FAILURE or ' +
      'AUTHORIZER_CONFIGURATION_ERROR in the access log): it threw (DynamoDB unavailable or past its deadline), timed out or ' +
      'returned no usable policy. Denied credentials do not count. Check the authorizer log group and DynamoDB.');
    this.alarm('Api5xx', apiServerErrors, ALARM_THRESHOLDS.api5xx,
      'The API answered 5xx. Check the access log (errorResponseType, integrationStatus) and the function logs.');
    this.alarm('ApiThrottled', apiThrottled, ALARM_THRESHOLDS.apiThrottled,
      'Stage throttling turned requests away with 429. Raise throttlingRateLimit/BurstLimit if the load is legitimate.');
    for (const [name, fn] of functions) {
      this.alarm(`${pascalCase(name)}Throttles`, fn.metricThrottles({ statistic: 'Sum', period: PERIOD }),
        ALARM_THRESHOLDS.lambdaThrottles, `Lambda throttled the ${name} function: concurrency is exhausted.`);
    }
    if (props.sweepFunction) {
      this.alarm('SweepErrors', props.sweepFunction.metricErrors({ statistic: 'Sum', period: PERIOD }), ALARM_THRESHOLDS.sweepErrors,
        'A run of the hourly token sweep failed (threw or timed out). Check the sweep function\'s log group and DynamoDB; the next run retries.');
    }
    this.alarm('TableSystemErrors', tableSystemErrors, ALARM_THRESHOLDS.dynamoDbSystemErrors,
      'DynamoDB returned system errors (callers got 503 ServiceUnavailable).');
    this.alarm('TableThrottles', tableThrottles, ALARM_THRESHOLDS.dynamoDbThrottles,
      'DynamoDB throttled requests (on-demand table: a sudden spike, or a hot account partition).');
    this.alarm('WrongSecrets', wrongSecrets, ALARM_THRESHOLDS.wrongSecrets,
      'Many requests carried a valid token id with a wrong secret: possible secret guessing. See the access log by ip.');

    const functionMetric = (name: 'Throttles' | 'Errors', label: string) =>
      new MathExpression({
        // Ids must be unique within a graph, and both sums share one.
        expression: functions.map((_, index) => `${name.toLowerCase()}${index}`).join(' + '),
        usingMetrics: Object.fromEntries(
          functions.map(([, fn], index) => [`${name.toLowerCase()}${index}`, fn.metric(name, { statistic: 'Sum', period: PERIOD })]),
        ),
        label,
        period: PERIOD,
      });

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [api.metricCount({ period: PERIOD }), api.metricClientError({ period: PERIOD }), apiServerErrors, apiThrottled],
      }),
      new GraphWidget({
        title: 'API latency (p99)',
        left: [api.metricLatency({ statistic: 'p99', period: PERIOD }), api.metricIntegrationLatency({ statistic: 'p99', period: PERIOD })],
      }),
      new GraphWidget({
        title: 'Authorizer',
        left: [
          props.authorizerFunction.metricInvocations({ period: PERIOD }),
          authorizerFailures.with({ label: 'Authorizer failures (503: AUTHORIZER_FAILURE, AUTHORIZER_CONFIGURATION_ERROR)' }),
          // Secondary: the function's own errors (thrown, timed out), on every API it protects; blind to results
          // API Gateway could not use and to invocations that never ran. Denials are not among them.
          props.authorizerFunction.metricErrors({ statistic: 'Sum', period: PERIOD, label: 'Lambda Errors (secondary: thrown or timed out)' }),
        ],
        right: [props.authorizerFunction.metricDuration({ statistic: 'p99', period: PERIOD })],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Denied authentications by reason', left: [this.deniedByReason] }),
      new GraphWidget({
        title: 'Functions',
        left: [functionMetric('Errors', 'Function errors'), functionMetric('Throttles', 'Function throttles')],
      }),
      // One graph each: both sums name their per-operation metrics alike, and ids must be unique in a graph.
      new GraphWidget({ title: 'DynamoDB system errors', left: [tableSystemErrors] }),
      new GraphWidget({ title: 'DynamoDB throttled requests', left: [tableThrottles] }),
    );
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing happened: no requests, no errors.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    if (this.alarmTopic) alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}
