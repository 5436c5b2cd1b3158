// TokenAuthorizer: puts the API token service's authorizer in front of another team's REST API. It adds a
// REQUEST authorizer to that API backed by the deployed service's authorizer function — found by the ARN the
// service publishes in SSM Parameter Store, by an ARN given, or (inside the service's own app) by the
// function itself — with the service's identity source, result cache TTL and gateway responses, and the
// permission for that API to invoke it. No routes, no table, no bundling: the function stays the service's.
import { Duration, Token } from 'aws-cdk-lib';
import {
  AuthorizationType,
  IdentitySource,
  type MethodOptions,
  RequestAuthorizer,
  type RestApiBase,
} from 'aws-cdk-lib/aws-apigateway';
import { Function as LambdaRuntimeFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { addGatewayResponses } from './gateway-responses';

/** Where ApiTokenService publishes its authorizer function's ARN unless told otherwise. */
export const DEFAULT_AUTHORIZER_PARAMETER_NAME = '/api-token-service/authorizer-function-arn';

/** The header every request authenticates with: a request without it gets 401 without invoking the function. */
export const AUTHORIZER_IDENTITY_SOURCE = IdentitySource.header('Authorization');

/** API Gateway caches an authorizer's result for at most one hour. */
const MAX_AUTHORIZER_CACHE_TTL_SECONDS = 3600;

/** 0: every request is verified against DynamoDB, so revocation takes effect on the very next request. */
export const DEFAULT_AUTHORIZER_CACHE_TTL = Duration.seconds(0);

export interface TokenAuthorizerProps {
  /** The REST API whose methods will require an API token. */
  readonly api: RestApiBase;
  /**
   * Name of the SSM parameter holding the authorizer function's ARN (ApiTokenService's
   * `authorizerParameterName`), read by CloudFormation at deploy time.
   * @default DEFAULT_AUTHORIZER_PARAMETER_NAME, unless authorizerFunctionArn or authorizerFunction is given
   */
  readonly parameterName?: string;
  /**
   * The authorizer function's ARN (the service stack's output `AuthorizerFunctionArn`), instead of the parameter.
   * @default - read from the SSM parameter
   */
  readonly authorizerFunctionArn?: string;
  /**
   * The authorizer function itself, when the service is in the same CDK app and stack.
   * @default - read from the SSM parameter
   */
  readonly authorizerFunction?: IFunction;
  /**
   * How long API Gateway caches a decision for one `Authorization` value, whole seconds up to an hour. A
   * non-zero TTL lets a revoked token keep working on this API for up to the TTL.
   * @default DEFAULT_AUTHORIZER_CACHE_TTL, 0 — revocation is immediate
   */
  readonly resultsCacheTtl?: Duration;
  /**
   * Add the service's gateway responses (every denial a 401 with `WWW-Authenticate`, 503 with `Retry-After`
   * when the authorizer fails, JSON 403/404/429/4xx/5xx). Without them, API Gateway's defaults apply (a denial is its 403); set
   * false only when the API defines its own responses of those types.
   * @default true
   */
  readonly addGatewayResponses?: boolean;
}

export class TokenAuthorizer extends Construct {
  readonly authorizer: RequestAuthorizer;
  /** Pass to `addMethod` (or spread into your own options, or use as the API's defaultMethodOptions). */
  readonly methodOptions: MethodOptions;
  /** The function API Gateway invokes (the service's, referenced, not copied). */
  readonly authorizerFunction: IFunction;

  constructor(scope: Construct, id: string, props: TokenAuthorizerProps) {
    super(scope, id);
    const given = [props.parameterName, props.authorizerFunctionArn, props.authorizerFunction].filter((value) => value !== undefined);
    if (given.length > 1) {
      throw new Error(`${this.node.path}: give one of parameterName, authorizerFunctionArn and authorizerFunction`);
    }
    const resultsCacheTtl = props.resultsCacheTtl ?? DEFAULT_AUTHORIZER_CACHE_TTL;
    validateAuthorizerCacheTtl(this, resultsCacheTtl);

    this.authorizerFunction = props.authorizerFunction ?? this.referencedFunction(props);
    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: this.authorizerFunction,
      identitySources: [AUTHORIZER_IDENTITY_SOURCE],
      resultsCacheTtl,
    });
    if (props.addGatewayResponses ?? true) addGatewayResponses(props.api);
    this.methodOptions = { authorizer: this.authorizer, authorizationType: AuthorizationType.CUSTOM };
  }

  /**
   * The function by ARN, marked as in this stack's account and region so that the invoke permission is
   * created here (in the API's stack): the service's stack never learns of this API.
   */
  private referencedFunction(props: TokenAuthorizerProps): IFunction {
    const parameterName = props.parameterName ?? DEFAULT_AUTHORIZER_PARAMETER_NAME;
    if (props.authorizerFunctionArn === undefined) validateParameterName(this, parameterName);
    const functionArn = props.authorizerFunctionArn ?? StringParameter.valueForStringParameter(this, parameterName);
    return LambdaRuntimeFunction.fromFunctionAttributes(this, 'AuthorizerFunction', { functionArn, sameEnvironment: true });
  }
}

export function validateAuthorizerCacheTtl(scope: Construct, ttl: Duration): void {
  const seconds = ttl.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_AUTHORIZER_CACHE_TTL_SECONDS) {
    throw new Error(`${scope.node.path}: the authorizer results cache TTL must be whole seconds from 0 to 3600, got ${seconds}`);
  }
}

/** SSM's rule for a hierarchical parameter name: a leading slash, then letters, digits, `_.-/`, at most 1011. */
export function validateParameterName(scope: Construct, name: string): void {
  if (!Token.isUnresolved(name) && !/^\/[A-Za-z0-9_.\-/]{1,1010}$/.test(name)) {
    throw new Error(`${scope.node.path}: the authorizer parameter name must start with / and hold only A-Z a-z 0-9 _ . - /, got "${name}"`);
  }
}
