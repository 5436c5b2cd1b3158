// X-Ray tracing (Powertools Tracer), one tracer per container. The route handlers' DynamoDB client is
// wrapped once where it is created (shared/runtime/services.ts), so that every call shows in the trace as
// its own subsegment, under the invocation that Lambda's active tracing records. Outside Lambda the tracer
// is off and wraps nothing. The authorizer does not load this module (docs/decisions.md).
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({
  serviceName: 'api-token-service',
  // The handlers' only outgoing calls are DynamoDB's, traced by the client's middleware; tracing HTTP as
  // well would record each call twice and patch Node's http and https modules for the whole process.
  captureHTTPsRequests: false,
});
