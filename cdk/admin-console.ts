// AdminConsole: the admin console on AWS, on the API's own origin so that it needs no CORS. A private S3
// bucket holds the console's build (dist/admin-console/, beside the Lambda bundles), read only by CloudFront
// through origin access control; the service's REST API is the same distribution's `/api/*` behaviour,
// uncached, with every viewer header but Host (so `Authorization` reaches API Gateway) and its answers
// untouched. The console's response headers (shared/http/console-headers.ts) and its routes (the same as
// local/admin-console.ts: `/` redirects to /admin/, a path under /admin/ naming no file is index.html) are
// the ones the local server applies. Part of ApiTokenService unless `adminConsole: false`.
import { DefaultStackSynthesizer, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AccessLevel,
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  type ResponseCustomHeader,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaRuntimeFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONSOLE_IMMUTABLE_CACHE_CONTROL,
  CONSOLE_IMMUTABLE_PREFIX,
  CONSOLE_PATH,
  CONSOLE_REVALIDATED_CACHE_CONTROL,
  CONSOLE_SECURITY_HEADERS,
} from '../shared/http/console-headers';
import { BUNDLES_DIRECTORY } from './lambda-code';
import { roleWritingOnlyTo } from './lambda-function';
import { dependOnRolePolicyOnly } from './template-hygiene';

/** The console's build: `../dist/admin-console` from this module, in the repository and in the package alike. */
export const CONSOLE_DIRECTORY = join(BUNDLES_DIRECTORY, 'admin-console');

/** The REST API's paths on the console's origin: the stage's own (`/api/v2/...`), as the local stack serves them. */
export const API_PATH_PATTERN = '/api/*';

/** The bucket's keys are the console's paths without the leading slash: `admin/index.html`, `admin/assets/…`. */
const KEY_PREFIX = CONSOLE_PATH.slice(1);
/** Vite's hashed files, relative to the build: `assets/`. */
const IMMUTABLE_DIRECTORY = CONSOLE_IMMUTABLE_PREFIX.slice(CONSOLE_PATH.length);

/**
 * The console's routes, as a CloudFront Function on viewer request (JavaScript runtime 2.0): `/` and
 * `/admin` redirect to `/admin/`; under `/admin/`, a path whose last segment has no file extension (or
 * that ends in `/`) is answered with `/admin/index.html`, so that the console's own routes can be reloaded
 * and shared; any other path is left as it is (a file that is missing is S3's 404).
 */
export const CONSOLE_ROUTING_CODE = `var CONSOLE_PATH = ${JSON.stringify(CONSOLE_PATH)};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === CONSOLE_PATH.slice(0, -1)) {
    return {
      statusCode: 302,
      statusDescription: 'Found',
      headers: { location: { value: CONSOLE_PATH }, 'cache-control': { value: 'no-store' } },
    };
  }
  if (uri.indexOf(CONSOLE_PATH) === 0) {
    var name = uri.slice(uri.lastIndexOf('/') + 1);
    if (name.lastIndexOf('.') <= 0) request.uri = CONSOLE_PATH + 'index.html';
  }
  return request;
}
`;

/**
 * The 4xx and 5xx statuses CloudFront caches for 10 seconds by default, whatever the cache policy, keyed by
 * the URL alone: one caller's 403 or 503 from the API would be served to the next caller of that URL. An
 * error response with a TTL of 0 and neither a page nor a status of its own changes nothing but that.
 */
export const UNCACHED_ERROR_STATUSES = [400, 403, 404, 405, 414, 500, 501, 502, 503, 504] as const;

/**
 * The response-headers policy's settings that send exactly `headers`: CloudFront takes the security headers
 * in their own settings (never as custom headers), so each is parsed into its setting; any other header is
 * custom. Every one overrides what the origin sends. Throws on a value CloudFront cannot send.
 */
export function responseHeadersBehavior(headers: Readonly<Record<string, string>>): {
  securityHeadersBehavior: ResponseSecurityHeadersBehavior;
  customHeaders: ResponseCustomHeader[];
} {
  const security: { -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K] } = {};
  const customHeaders: ResponseCustomHeader[] = [];
  const unsupported = (name: string, value: string): never => {
    throw new Error(`CloudFront cannot send ${name}: ${value}`);
  };
  for (const [name, value] of Object.entries(headers)) {
    switch (name.toLowerCase()) {
      case 'content-security-policy':
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security': {
        const hsts = /^max-age=(\d+)(; includeSubDomains)?(; preload)?$/.exec(value) ?? unsupported(name, value);
        security.strictTransportSecurity = {
          accessControlMaxAge: Duration.seconds(Number(hsts[1])),
          includeSubdomains: hsts[2] !== undefined,
          preload: hsts[3] !== undefined,
          override: true,
        };
        break;
      }
      case 'x-content-type-options':
        if (value !== 'nosniff') unsupported(name, value);
        security.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options': {
        const frameOption = Object.values(HeadersFrameOption).find((option) => option === value) ?? unsupported(name, value);
        security.frameOptions = { frameOption, override: true };
        break;
      }
      case 'referrer-policy': {
        const referrerPolicy = Object.values(HeadersReferrerPolicy).find((policy) => policy === value) ?? unsupported(name, value);
        security.referrerPolicy = { referrerPolicy, override: true };
        break;
      }
      case 'x-xss-protection':
        unsupported(name, value);
        break;
      default:
        customHeaders.push({ header: name, value, override: true });
    }
  }
  return { securityHeadersBehavior: security, customHeaders };
}

/** The asset bucket's default name, as cdk-nag writes it in a finding (`<AWS::AccountId>` for `${AWS::AccountId}`). */
function assetBucketName(stack: Stack): string {
  return DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace('${Qualifier}', stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER).replace(
    /\$\{(AWS::\w+)\}/g,
    '<$1>',
  );
}

export interface AdminConsoleProps {
  /** The service's REST API, served under /api/* on the console's origin. */
  readonly api: RestApi;
  /** A WAFv2 web ACL of scope CLOUDFRONT (us-east-1) for the distribution. */
  readonly webAclArn?: string;
  /** Retention and removal policy of the log group of the function that copies the build into the bucket. */
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class AdminConsole extends Construct {
  /** The console's files, under `admin/`; private, read only by the distribution. */
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://{distribution domain}/admin/`. */
  readonly url: string;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** The CloudFront Function that redirects `/` and answers the console's routes with index.html. */
  readonly routingFunction: CloudFrontFunction;

  constructor(scope: Construct, id: string, props: AdminConsoleProps) {
    super(scope, id);
    for (const required of [join(CONSOLE_DIRECTORY, 'index.html'), join(CONSOLE_DIRECTORY, IMMUTABLE_DIRECTORY)]) {
      if (!existsSync(required)) {
        throw new Error(`The admin console build is missing (${required}): run npm run build first, or set adminConsole: false`);
      }
    }

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Kept when it leaves the stack, whatever the service's removal policy: CloudFormation deletes no bucket
      // with objects in it, and emptying it on deletion would take a custom resource of its own for a build
      // that can be made again.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { securityHeadersBehavior, customHeaders } = responseHeadersBehavior(CONSOLE_SECURITY_HEADERS);
    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'ResponseHeaders', {
      // Policies are global to the account: the region keeps two copies of a stack in two regions apart.
      responseHeadersPolicyName: `${Names.uniqueResourceName(this, { maxLength: 100 })}-${Stack.of(this).region}`,
      comment: 'The admin console: strict CSP, HSTS, no sniffing, no framing (shared/http/console-headers.ts)',
      securityHeadersBehavior,
      customHeadersBehavior: { customHeaders },
    });

    this.routingFunction = new CloudFrontFunction(this, 'Routing', {
      code: FunctionCode.fromInline(CONSOLE_ROUTING_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Admin console routes: / redirects to /admin/, paths naming no file get index.html',
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'API token service: the admin console and its API on one origin',
      httpVersion: HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
      defaultBehavior: {
        // LIST lets S3 answer a missing file with 404 instead of 403 (the distribution's only listing is of
        // the console's own file names, which the console's pages name anyway).
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessLevels: [AccessLevel.READ, AccessLevel.LIST] }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Cached by URL, as each file's Cache-Control (set on upload, below) says, but for at least the policy's
        // minimum TTL of a second: a new index.html is seen within a second, without an invalidation.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: this.routingFunction }],
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          // The stage is the origin path: /api/v2/users/me reaches the stage's /api/v2/users/me.
          origin: new RestApiOrigin(props.api),
          // A redirect would send the credentials again in the clear; plain HTTP is refused instead.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Every viewer header, Authorization included (CloudFront forwards it with an origin request policy
          // only when caching is disabled), but not Host: API Gateway refuses a Host other than its own.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          // No response-headers policy and no error pages: the API's answers (401 with WWW-Authenticate,
          // 503 with Retry-After, its JSON errors) reach the console as API Gateway sent them.
        },
      },
      errorResponses: UNCACHED_ERROR_STATUSES.map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
    });
    this.url = `https://${this.distribution.distributionDomainName}${CONSOLE_PATH}`;

    this.deployBuild(props);
    this.acknowledgeNagFindings(props.webAclArn !== undefined);
  }

  /**
   * Copies the build into the bucket: the hashed files first, immutable, keeping those of earlier builds (a
   * page loaded before the deployment still fetches its own); then index.html and the other files,
   * revalidated on every load, so that a new index.html never names a file not yet there. The copying
   * function writes only to its own log group.
   */
  private deployBuild(props: AdminConsoleProps): void {
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    const role = roleWritingOnlyTo(this, 'DeploymentRole', logGroup, 'Copies the admin console build into its bucket');
    const deployment = {
      destinationBucket: this.bucket,
      role,
      logGroup,
      outputObjectKeys: false,
    };
    const hashedFiles = new BucketDeployment(this, 'DeployHashedFiles', {
      ...deployment,
      sources: [Source.asset(join(CONSOLE_DIRECTORY, IMMUTABLE_DIRECTORY))],
      destinationKeyPrefix: `${KEY_PREFIX}${IMMUTABLE_DIRECTORY}`,
      cacheControl: [CacheControl.fromString(CONSOLE_IMMUTABLE_CACHE_CONTROL)],
      prune: false,
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      ...deployment,
      sources: [Source.asset(CONSOLE_DIRECTORY, { exclude: [`${IMMUTABLE_DIRECTORY}**`] })],
      destinationKeyPrefix: KEY_PREFIX,
      // Pruning removes files of earlier builds, but not the hashed ones, which it leaves alone.
      exclude: [`${IMMUTABLE_DIRECTORY}*`],
      cacheControl: [CacheControl.fromString(CONSOLE_REVALIDATED_CACHE_CONTROL)],
    });
    pages.node.addDependency(hashedFiles);
    // Each deployment adds a layer with the AWS CLI, but both run in one function (a singleton per stack),
    // which uses the first deployment's: the second layer would be deployed for nothing.
    pages.node.tryRemoveChild('AwsCliLayer');

    // The function is the stack's one BucketDeployment function: another deployment of the stack may have
    // made it first, with its own role and settings, which are then not this construct's to change.
    if (hashedFiles.handlerRole !== role) return;
    const handler = Stack.of(this)
      .node.findAll()
      .find((construct): construct is LambdaRuntimeFunction => construct instanceof LambdaRuntimeFunction && construct.role === role);
    if (!handler) throw new Error(`${this.node.path}: the function of the build's deployment was not found`);
    dependOnRolePolicyOnly(handler, role);
    this.acknowledgeDeploymentFindings(handler, role);
  }

  /** The copying function is aws-cdk-lib's (BucketDeployment): its runtime and its role's grants are. */
  private acknowledgeDeploymentFindings(handler: LambdaRuntimeFunction, role: Role): void {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "BucketDeployment's function and its Python runtime come with aws-cdk-lib and move with its upgrades; it runs only " +
        'while CloudFormation deploys the console build, never for a request.',
    });
    const stack = Stack.of(this);
    const nagResource = (arn: string) => `AwsSolutions-IAM5[Resource::${arn}]`;
    const wildcards = [
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => `AwsSolutions-IAM5[Action::${action}]`),
      nagResource(`<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`),
      // CDK's asset bucket under its default name; an app whose synthesizer names another bucket sees that
      // bucket in the finding, to acknowledge with the same reason.
      nagResource(`arn:<AWS::Partition>:s3:::${assetBucketName(stack)}/*`),
    ];
    const reason =
      "BucketDeployment's own grants: read the build's zip from CDK's asset bucket, then sync it into the console's " +
      "bucket (list, put, delete and abort uploads of its objects). Both are limited to those two buckets' ARNs; the " +
      'role may write logs only to its own log group and runs nothing but the deployment.';
    Validations.of(role).acknowledge(...wildcards.map((id) => ({ id, reason })));
  }

  /** cdk-nag (AwsSolutions) findings this construct accepts on purpose, each with its reason. */
  private acknowledgeNagFindings(hasWebAcl: boolean): void {
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Administrators sign in from wherever they work, which is deployment-specific; every API call through the ' +
          'distribution needs an API token anyway. A geo match belongs in the web ACL (adminConsoleWebAclArn).',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Every request that reads or changes data goes through /api/* and is written to the API access log (JSON, one ' +
          'line each, with the authorizer result); the rest are the public console files. CloudFront standard logs need an ' +
          'ACL-enabled log bucket or a log delivery in us-east-1 wherever the stack is.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          "The distribution answers on its *.cloudfront.net name, whose default certificate CloudFront serves with its own " +
          'fixed security policy; the browsers that can run the console (ES2022) refuse TLS 1.0 and 1.1. A custom domain with an ' +
          'ACM certificate in us-east-1 (TLSv1.2_2021) is deployment-specific.',
      },
      {
        id: 'Annotation::@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
        reason:
          'No request for the bucket root reaches S3: the routing function answers / itself with the redirect to /admin/ ' +
          '(test/cdk/admin-console.test.ts). LIST only lets S3 answer a missing file with 404 instead of 403.',
      },
    );
    if (!hasWebAcl) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'A web ACL is deployment-specific and costs per request; pass adminConsoleWebAclArn (scope CLOUDFRONT, us-east-1) ' +
          'to associate one. Without it, the stage throttling and the authorizer still guard every API call.',
      });
    }
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the console build, which is public by nature (every page names its files) and is read by ' +
        'nobody but this distribution through origin access control; what an administrator does goes through /api/*, ' +
        'into the API access log. Server access logs would need a log bucket of their own and record nothing sensitive.',
    });
  }
}
