// ApiTokenService: the L3 construct that deploys the whole product — the table (from shared/store/table.ts), one
// function per route of the route list plus the REQUEST authorizer, the REST API with the shared gateway
// responses, stage throttling, access logs, tracing and alarms — publishes its authorizer's ARN for other
// teams' TokenAuthorizer, lets a REST API of the same app use that authorizer (`protect`), and serves the
// admin console with the API on one CloudFront origin (cdk/admin-console.ts).
// Infrastructure only: every rule lives in the handlers and shared/.
import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  type MethodDeploymentOptions,
  MethodLoggingLevel,
  type MethodOptions,
  RequestAuthorizer,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaRuntimeFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { resourcePaths, routeList } from '../shared/http/routes';
import { AUTHORIZER_ENTRY } from './lambda-bundle';
import { tableDefinition } from '../shared/store/table';
import { AUTHORIZER_TIMEOUT_SECONDS } from '../shared/platform/time-budget';
import { functionEnvironment } from './function-environment';
import { addExecutionLogGroup } from './execution-log-group';
import { AdminConsole } from './admin-console';
import { addGatewayResponses } from './gateway-responses';
import { LambdaFunction } from './lambda-function';
import { TokenSweepSchedule } from './token-sweep-schedule';
import { accessLogFormat, pascalCase, ServiceMonitoring } from './monitoring';
import { grantAuthorizerAccess, grantRouteAccess } from './table-access';
import { TABLE_NAME_PATTERN } from '../shared/platform/table-name';
import {
  AUTHORIZER_IDENTITY_SOURCE,
  DEFAULT_AUTHORIZER_CACHE_TTL,
  DEFAULT_AUTHORIZER_PARAMETER_NAME,
  TokenAuthorizer,
  validateAuthorizerCacheTtl,
  validateParameterName,
} from './token-authorizer';

/** The warning synthesis shows when the alarms would notify nobody. */
export const NO_ALARM_TARGET_WARNING =
  'The alarms notify nobody: give ApiTokenService an alarmTopic or an alarmEmail (in this repository: cdk synth -c alarmEmail=... or -c alarmTopicArn=...).';

export interface ApiTokenServiceProps {
  /**
   * How long API Gateway caches the authorizer's decision for one `Authorization` header value.
   *
   * With 0 every request is authorized against DynamoDB, so deactivating or deleting a token, suspending
   * or removing a user, or turning the account's API token access off takes effect on the very next
   * request (docs/architecture.md, "Writes"). A non-zero TTL saves one authorizer invocation and one DynamoDB read per
   * repeated request, but a revoked token keeps working for up to the TTL for any caller whose Allow is
   * cached — and that Allow covers every route of the stage. At most one hour.
   *
   * @default Duration.seconds(0) — revocation is immediate
   */
  readonly authorizerResultsCacheTtl?: Duration;
  /**
   * Steady-state requests per second the stage accepts across all clients; beyond it API Gateway answers
   * 429 (THROTTLED gateway response, `Retry-After: 1`).
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests the stage accepts in a burst above the rate (token bucket size).
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Retention of every log group the construct creates (each function's and the API access log).
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Days after which DynamoDB's TTL removes audit entries (AUDIT_RETENTION_DAYS of the functions).
   * @default - audit entries are kept forever
   */
  readonly auditRetentionDays?: number;
  /**
   * Physical table name, e.g. to find the table by a fixed name from `tokenctl`.
   * @default - a name CloudFormation generates (see the stack output TableName); lets several stacks share an account
   */
  readonly tableName?: string;
  /**
   * What happens to the table and the log groups when they leave the stack. Anything but RETAIN loses
   * every account, user, token and audit entry; it also needs `deletionProtection: false`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection on the table: no one can delete it, CloudFormation included, until
   * it is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** @default 'prod' */
  readonly stageName?: string;
  /**
   * Create the account-level role API Gateway uses to write access and execution logs. Every account
   * and region needs one; set false when the account already has it (it is one setting per region, and
   * the last stack to set it wins).
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * ARN of a regional AWS WAFv2 web ACL to associate with the stage.
   * @default - no web ACL (stage throttling still applies)
   */
  readonly webAclArn?: string;
  /**
   * SNS topic every alarm notifies when it goes into ALARM.
   * @default - the topic made for alarmEmail; without either, alarms only change state (synthesis warns)
   */
  readonly alarmTopic?: ITopic;
  /**
   * E-mail address to notify: the construct creates a topic for the alarms and subscribes it (the address
   * confirms the subscription once). Not together with alarmTopic.
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;
  /**
   * SSM parameter in which the construct publishes its authorizer function's ARN, for other teams'
   * TokenAuthorizer. Two services in one account and region need two names.
   * @default DEFAULT_AUTHORIZER_PARAMETER_NAME, '/api-token-service/authorizer-function-arn'
   */
  readonly authorizerParameterName?: string;
  /**
   * Deploy the admin console: its build in a private S3 bucket behind a CloudFront distribution that also
   * serves the REST API under /api/* (same origin, no CORS), with the console's security headers. Needs the
   * console's build beside the bundles (dist/admin-console/, `npm run build`).
   * @default true
   */
  readonly adminConsole?: boolean;
  /**
   * ARN of a WAFv2 web ACL of scope CLOUDFRONT (created in us-east-1) for the console's distribution, which
   * also carries the console's API calls. Only with the admin console.
   * @default - no web ACL on the distribution (the stage's own webAclArn and throttling still apply)
   */
  readonly adminConsoleWebAclArn?: string;
}

/** What `protect` returns: the authorizer created for the other API and method options that use it. */
export interface ProtectedApi {
  readonly authorizer: RequestAuthorizer;
  /** Pass to `addMethod` (or spread into your own options) so the method requires an API token. */
  readonly methodOptions: MethodOptions;
}

export interface ProtectOptions {
  /**
   * Result cache TTL of the authorizer on that API (same trade-off as `authorizerResultsCacheTtl`).
   * @default the service's authorizerResultsCacheTtl
   */
  readonly resultsCacheTtl?: Duration;
  /**
   * Add the service's gateway responses (every denial a 401 with `WWW-Authenticate`, 503 with `Retry-After`
   * when the authorizer fails, JSON 403/404/429/4xx/5xx) to the API. Set false only when the API already defines
   * its own: two responses of one type cannot coexist.
   * @default true
   */
  readonly addGatewayResponses?: boolean;
}

interface ResolvedProps {
  readonly authorizerResultsCacheTtl: Duration;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly stageName: string;
  readonly cloudWatchRole: boolean;
  readonly adminConsole: boolean;
}

export const API_TOKEN_SERVICE_DEFAULTS = {
  authorizerResultsCacheTtl: DEFAULT_AUTHORIZER_CACHE_TTL,
  throttlingRateLimit: 100,
  throttlingBurstLimit: 200,
  logRetention: RetentionDays.THREE_MONTHS,
  removalPolicy: RemovalPolicy.RETAIN,
  deletionProtection: true,
  stageName: 'prod',
  cloudWatchRole: true,
  adminConsole: true,
} as const satisfies ResolvedProps;

export class ApiTokenService extends Construct {
  readonly table: TableV2;
  readonly api: RestApi;
  readonly authorizerFunction: LambdaRuntimeFunction;
  readonly authorizer: RequestAuthorizer;
  /** One function per route, keyed by the route's name (`shared/http/routes.ts`). */
  readonly functions: Readonly<Record<string, LambdaRuntimeFunction>>;
  /** The hourly token sweep's function (not a route) and its schedule. */
  readonly tokenSweep: TokenSweepSchedule;
  readonly accessLogGroup: LogGroup;
  readonly executionLogGroup: LogGroup;
  readonly monitoring: ServiceMonitoring;
  /** Where the alarms notify: the topic given, the one made for alarmEmail, or none. */
  readonly alarmTopic: ITopic | undefined;
  /** The SSM parameter holding the authorizer function's ARN (what TokenAuthorizer reads). */
  readonly authorizerParameter: StringParameter;
  /** The admin console's bucket, distribution and URL; undefined with `adminConsole: false`. */
  readonly adminConsole: AdminConsole | undefined;
  private readonly authorizerResultsCacheTtl: Duration;

  constructor(scope: Construct, id: string, props: ApiTokenServiceProps = {}) {
    super(scope, id);
    const settings = this.validate(props);
    this.authorizerResultsCacheTtl = settings.authorizerResultsCacheTtl;

    this.table = this.createTable(props.tableName, settings);
    const environment = functionEnvironment({ tableName: this.table.tableName, auditRetentionDays: props.auditRetentionDays });
    const logs = { logRetention: settings.logRetention, logRemovalPolicy: settings.removalPolicy };

    const authorizer = new LambdaFunction(this, 'Authorizer', {
      entry: AUTHORIZER_ENTRY,
      description: 'API token REQUEST authorizer: verifies Basic {email}/token:{token}',
      environment,
      ...logs,
      // Fail closed quickly: the authorizer gives up on DynamoDB at its deadline, before this timeout, and
      // API Gateway answers AUTHORIZER_FAILURE (503) instead of letting callers hang (shared/platform/time-budget.ts).
      timeout: Duration.seconds(AUTHORIZER_TIMEOUT_SECONDS),
    });
    grantAuthorizerAccess(this.table, authorizer.role);
    this.authorizerFunction = authorizer.function;

    const routeFunctions = routeList.map((route) => {
      const routeFunction = new LambdaFunction(this, pascalCase(route.name), {
        entry: route.entry,
        description: `${route.method} ${route.path}`,
        environment,
        ...logs,
      });
      grantRouteAccess(this.table, route, routeFunction.role);
      return { route, fn: routeFunction.function };
    });
    this.functions = Object.fromEntries(routeFunctions.map(({ route, fn }) => [route.name, fn]));
    this.tokenSweep = new TokenSweepSchedule(this, 'TokenSweep', { table: this.table, environment, ...logs });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    this.authorizer = new RequestAuthorizer(this, 'RequestAuthorizer', {
      handler: this.authorizerFunction,
      identitySources: [AUTHORIZER_IDENTITY_SOURCE],
      resultsCacheTtl: settings.authorizerResultsCacheTtl,
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'API token service: Zendesk-style API tokens',
      // Clients are servers and scripts, not browsers around the world: a regional endpoint. The admin
      // console reaches the same stage through its own CloudFront distribution (cdk/admin-console.ts).
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: settings.cloudWatchRole,
      // Every method, including any a user of the construct adds later, requires an API token.
      defaultMethodOptions: { authorizer: this.authorizer, authorizationType: AuthorizationType.CUSTOM },
      // Every request body reaches the handlers as its bytes (base64, isBase64Encoded true), so that a body
      // that is not UTF-8 is refused (400) instead of arriving already decoded with U+FFFD in it. Responses
      // do not change: the handlers return text with isBase64Encoded false, which API Gateway passes as is.
      binaryMediaTypes: ['*/*'],
      deployOptions: {
        stageName: settings.stageName,
        throttlingRateLimit: settings.throttlingRateLimit,
        throttlingBurstLimit: settings.throttlingBurstLimit,
        tracingEnabled: true,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat,
        ...EXECUTION_LOGGING,
        methodOptions: methodThrottling(),
      },
    });
    // The stack's own ApiUrl output replaces RestApi's generated Endpoint output.
    this.api.node.tryRemoveChild('Endpoint');
    this.executionLogGroup = addExecutionLogGroup(this, this.api, { retention: settings.logRetention, removalPolicy: settings.removalPolicy });

    for (const { route, fn } of routeFunctions) {
      // The console's test-invoke calls the function without the authorizer; it gets no permission.
      const integration = new LambdaIntegration(fn, { allowTestInvoke: false });
      // A public route (leak reports) has no authorizer: its callers hold no credentials of an account.
      const options: MethodOptions | undefined = route.access === 'public' ? { authorizationType: AuthorizationType.NONE } : undefined;
      for (const path of resourcePaths(route)) {
        const method = this.api.root.resourceForPath(path).addMethod(route.method, integration, options);
        if (options) acknowledgePublicMethod(method);
      }
    }
    addGatewayResponses(this.api);

    if (props.webAclArn !== undefined) {
      new CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    }

    this.authorizerParameter = new StringParameter(this, 'AuthorizerFunctionArn', {
      parameterName: props.authorizerParameterName ?? DEFAULT_AUTHORIZER_PARAMETER_NAME,
      stringValue: this.authorizerFunction.functionArn,
      description: 'ARN of the API token authorizer function, for TokenAuthorizer in other stacks',
    });

    this.alarmTopic = props.alarmTopic ?? (props.alarmEmail === undefined ? undefined : this.createAlarmTopic(props.alarmEmail));
    if (this.alarmTopic === undefined) Annotations.of(this).addWarningV2('api-token-service:alarmsNotifyNobody', NO_ALARM_TARGET_WARNING);
    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      api: this.api,
      accessLogGroup: this.accessLogGroup,
      authorizerFunction: this.authorizerFunction,
      functions: { authorizer: this.authorizerFunction, ...this.functions, sweepTokens: this.tokenSweep.function },
      sweepFunction: this.tokenSweep.function,
      table: this.table,
      alarmTopic: this.alarmTopic,
    });

    this.adminConsole = settings.adminConsole
      ? new AdminConsole(this, 'AdminConsole', {
          api: this.api,
          webAclArn: props.adminConsoleWebAclArn,
          logRetention: settings.logRetention,
          logRemovalPolicy: settings.removalPolicy,
        })
      : undefined;

    this.acknowledgeNagFindings(props.webAclArn !== undefined);
  }

  /**
   * Lets another team's REST API authenticate with API tokens: creates a REQUEST authorizer on `api`
   * backed by this service's authorizer function (with permission for that API to invoke it) and, unless
   * told otherwise, adds the service's gateway responses. Use the returned `methodOptions` on the methods
   * to protect. The other API may live in another stack of the same account and region.
   */
  protect(api: RestApi, options: ProtectOptions = {}): ProtectedApi {
    if (api === this.api) throw new Error(`${this.node.path}: the service's own API is already protected`);
    if (api.node.tryFindChild(PROTECTION_ID)) throw new Error(`${api.node.path} is already protected by an ApiTokenService`);
    // In another stack the function is referenced by ARN, so that the invoke permission is created in the
    // API's stack: created here it would make each stack depend on the other. The ARN is built in that stack
    // around the function's name: the authorizer URI takes the ARN apart, and CloudFormation does not take
    // a cross-stack reference (Fn::GetStackOutput) inside Fn::Split in every region (cfn-lint E1022).
    const sameStack = Stack.of(api) === Stack.of(this);
    const resultsCacheTtl = options.resultsCacheTtl ?? this.authorizerResultsCacheTtl;
    validateAuthorizerCacheTtl(this, resultsCacheTtl);
    const functionArn = Stack.of(api).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: this.authorizerFunction.functionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const { authorizer, methodOptions } = new TokenAuthorizer(api, PROTECTION_ID, {
      api,
      ...(sameStack ? { authorizerFunction: this.authorizerFunction } : { authorizerFunctionArn: functionArn }),
      resultsCacheTtl,
      addGatewayResponses: options.addGatewayResponses,
    });
    return { authorizer, methodOptions };
  }

  /** A topic for the alarms with the address subscribed; publishing to it requires TLS. */
  private createAlarmTopic(email: string): Topic {
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'API token service alarms', enforceSSL: true });
    topic.addSubscription(new EmailSubscription(email));
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key, and an alarm notification ' +
        'holds no secret (alarm name, metric, threshold); pass alarmTopic to use a topic encrypted with your own key.',
    });
    return topic;
  }

  private validate(props: ApiTokenServiceProps): ResolvedProps {
    const resolved: ResolvedProps = {
      authorizerResultsCacheTtl: props.authorizerResultsCacheTtl ?? API_TOKEN_SERVICE_DEFAULTS.authorizerResultsCacheTtl,
      throttlingRateLimit: props.throttlingRateLimit ?? API_TOKEN_SERVICE_DEFAULTS.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit ?? API_TOKEN_SERVICE_DEFAULTS.throttlingBurstLimit,
      logRetention: props.logRetention ?? API_TOKEN_SERVICE_DEFAULTS.logRetention,
      removalPolicy: props.removalPolicy ?? API_TOKEN_SERVICE_DEFAULTS.removalPolicy,
      deletionProtection: props.deletionProtection ?? API_TOKEN_SERVICE_DEFAULTS.deletionProtection,
      stageName: props.stageName ?? API_TOKEN_SERVICE_DEFAULTS.stageName,
      cloudWatchRole: props.cloudWatchRole ?? API_TOKEN_SERVICE_DEFAULTS.cloudWatchRole,
      adminConsole: props.adminConsole ?? API_TOKEN_SERVICE_DEFAULTS.adminConsole,
    };
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    validateAuthorizerCacheTtl(this, resolved.authorizerResultsCacheTtl);
    if (!Number.isFinite(resolved.throttlingRateLimit) || resolved.throttlingRateLimit <= 0) {
      fail(`throttlingRateLimit must be a positive number of requests per second, got ${resolved.throttlingRateLimit}`);
    }
    if (!Number.isInteger(resolved.throttlingBurstLimit) || resolved.throttlingBurstLimit < 1) {
      fail(`throttlingBurstLimit must be a positive whole number of requests, got ${resolved.throttlingBurstLimit}`);
    }
    if (props.auditRetentionDays !== undefined && (!Number.isInteger(props.auditRetentionDays) || props.auditRetentionDays < 1)) {
      fail(`auditRetentionDays must be a positive whole number of days, got ${props.auditRetentionDays}`);
    }
    if (props.tableName !== undefined && !Token.isUnresolved(props.tableName) && !TABLE_NAME_PATTERN.test(props.tableName)) {
      fail(`tableName must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${props.tableName}"`);
    }
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(resolved.stageName)) {
      fail(`stageName must be 1-128 characters of A-Z a-z 0-9 _ -, got "${resolved.stageName}"`);
    }
    if (resolved.removalPolicy !== RemovalPolicy.RETAIN && resolved.deletionProtection) {
      fail('a removalPolicy other than RETAIN needs deletionProtection: false (the table could not be deleted anyway)');
    }
    if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn) && !/^arn:[^:]+:wafv2:[^:]+:\d{12}:regional\/webacl\//.test(props.webAclArn)) {
      fail(`webAclArn must be the ARN of a regional WAFv2 web ACL, got "${props.webAclArn}"`);
    }
    if (props.adminConsoleWebAclArn !== undefined) {
      if (!resolved.adminConsole) fail('adminConsoleWebAclArn needs the admin console (adminConsole: false was given)');
      if (!Token.isUnresolved(props.adminConsoleWebAclArn) && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(props.adminConsoleWebAclArn)) {
        fail(`adminConsoleWebAclArn must be the ARN of a WAFv2 web ACL of scope CLOUDFRONT (us-east-1, global/webacl/), got "${props.adminConsoleWebAclArn}"`);
      }
    }
    if (props.alarmTopic !== undefined && props.alarmEmail !== undefined) {
      fail('give alarmTopic or alarmEmail, not both (subscribe the address to your topic instead)');
    }
    if (props.alarmEmail !== undefined && !Token.isUnresolved(props.alarmEmail) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.alarmEmail)) {
      fail(`alarmEmail must be an e-mail address, got "${props.alarmEmail}"`);
    }
    if (props.authorizerParameterName !== undefined) validateParameterName(this, props.authorizerParameterName);
    return resolved;
  }

  private createTable(tableName: string | undefined, settings: ResolvedProps): TableV2 {
    const { partitionKey, sortKey, indexes, timeToLiveAttribute } = tableDefinition;
    return new TableV2(this, 'Table', {
      tableName,
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: index.projection === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
      })),
      timeToLiveAttribute,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
    });
  }

  /** cdk-nag (AwsSolutions) findings this construct accepts on purpose, each with its reason. */
  private acknowledgeNagFindings(hasWebAcl: boolean): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Requests are validated in the handlers (zod schemas, 400 BadRequest / 422 RecordInvalid with Zendesk-shaped bodies); ' +
          'an API Gateway request validator would answer with its own, differently shaped 400s.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'The API authenticates with API tokens (HTTP Basic {email}/token:{token}), not Cognito: every method uses the ' +
          'CUSTOM REQUEST Lambda authorizer of this construct, as the template tests assert.',
      },
    );
    if (this.api.node.tryFindChild('CloudWatchRole')) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway assumes to write access and execution logs; AWS documents this managed ' +
          'policy for it, and only apigateway.amazonaws.com can assume the role (cloudWatchRole: false to bring your own).',
      });
    }
    if (!hasWebAcl) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'A web ACL is deployment-specific and costs per request; pass webAclArn to associate one. Without it, stage ' +
          'throttling limits the request rate and malformed credentials are rejected before any DynamoDB read.',
      });
    }
  }
}

const PROTECTION_ID = 'ApiTokenAuthorizer';

/** Execution logs for errors only, and never request or response data (it holds credentials and tokens). */
const EXECUTION_LOGGING = { loggingLevel: MethodLoggingLevel.ERROR, dataTraceEnabled: false } as const satisfies MethodDeploymentOptions;

/**
 * The stage's method settings: each route with its own throttling, on every resource path it answers. A
 * method's settings replace the stage's for it, so they repeat its execution logging.
 */
function methodThrottling(): Record<string, MethodDeploymentOptions> {
  return Object.fromEntries(
    routeList.flatMap((route) => {
      const { throttling } = route;
      if (!throttling) return [];
      const options: MethodDeploymentOptions = { ...EXECUTION_LOGGING, throttlingRateLimit: throttling.rateLimit, throttlingBurstLimit: throttling.burstLimit };
      return resourcePaths(route).map((path) => [`${path}/${route.method}`, options]);
    }),
  );
}

/** cdk-nag's findings on a method without an authorizer, accepted for the public routes only. */
function acknowledgePublicMethod(method: Method): void {
  const reason =
    'Leak reports (POST /api/v2/api_tokens/revocations) come from secret scanners, which hold no credentials of the ' +
    'account whose token they found: the method takes none by design, answers 202 {} whatever it finds, and has its ' +
    'own method throttling in the stage.';
  Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
}
