// Deploys the gateway responses of shared/http/gateway-responses.ts (the definitions the local emulator sends)
// on a REST API, translated to what API Gateway expects: header values as quoted static literals, the body
// as an `application/json` mapping template, no status code where the definition keeps API Gateway's own.
import { type GatewayResponse, ResponseType, type RestApiBase } from 'aws-cdk-lib/aws-apigateway';
import { gatewayResponses, type GatewayResponseDefinition, type GatewayResponseType } from '../shared/http/gateway-responses';

/**
 * A header value as a static mapping value: API Gateway reads `'...'` as a literal and anything else as
 * an expression, and has no escape for a quote inside the literal.
 */
export function staticHeaderValue(value: string): string {
  if (value.includes("'")) throw new Error(`Gateway response header value cannot contain a single quote: ${value}`);
  return `'${value}'`;
}

/**
 * A body as a mapping template: the template is Velocity, where `$` and `#` start references and
 * directives, so a body containing them would not be sent as written.
 */
export function literalTemplate(body: string): string {
  if (/[$#]/.test(body)) throw new Error(`Gateway response body would be read as a Velocity template: ${body}`);
  return body;
}

/**
 * Each shared type as CDK names it: a type added to shared/http/gateway-responses.ts that API Gateway does not
 * know fails the typecheck here instead of the deployment.
 */
const RESPONSE_TYPES: Record<GatewayResponseType, ResponseType> = {
  UNAUTHORIZED: ResponseType.UNAUTHORIZED,
  ACCESS_DENIED: ResponseType.ACCESS_DENIED,
  MISSING_AUTHENTICATION_TOKEN: ResponseType.MISSING_AUTHENTICATION_TOKEN,
  AUTHORIZER_FAILURE: ResponseType.AUTHORIZER_FAILURE,
  AUTHORIZER_CONFIGURATION_ERROR: ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
  REQUEST_TOO_LARGE: ResponseType.REQUEST_TOO_LARGE,
  THROTTLED: ResponseType.THROTTLED,
  DEFAULT_4XX: ResponseType.DEFAULT_4XX,
  DEFAULT_5XX: ResponseType.DEFAULT_5XX,
};

function responseOptions(type: GatewayResponseType, definition: GatewayResponseDefinition) {
  return {
    type: RESPONSE_TYPES[type],
    ...(definition.statusCode === undefined ? {} : { statusCode: String(definition.statusCode) }),
    responseHeaders: Object.fromEntries(
      Object.entries(definition.headers).map(([name, value]) => [name, staticHeaderValue(value)]),
    ),
    templates: { 'application/json': literalTemplate(definition.body) },
  };
}

/** Adds every shared gateway response to `api`, with construct ids `GatewayResponse<TYPE>`. */
export function addGatewayResponses(api: RestApiBase): GatewayResponse[] {
  return (Object.entries(gatewayResponses) as [GatewayResponseType, GatewayResponseDefinition][]).map(([type, definition]) =>
    api.addGatewayResponse(`GatewayResponse${type}`, responseOptions(type, definition)),
  );
}
