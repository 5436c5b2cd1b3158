// The route handlers' DynamoDB client is traced: in Lambda (as Powertools Tracer recognises it) the client the
// services are built on carries the X-Ray SDK's middleware, and each call becomes a subsegment of the
// invocation's segment, named after the service and the operation, as X-Ray shows it. DynamoDB is a stub
// HTTP server on 127.0.0.1; no segment is sent anywhere (the segment is never closed).
import { restoreTracingEnvironment } from '../support/traced-environment';
import { getNamespace, Segment, setSegment } from 'aws-xray-sdk-core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getServices } from '../../shared/runtime/services';
import { getAuthorizationServices } from '../../shared/runtime/authorizer-services';

const X_RAY_MIDDLEWARE = 'XRaySDKInstrumentation';
let dynamodb: Server;

beforeAll(async () => {
  // Answers every call as DynamoDB answers a GetItem that finds nothing.
  dynamodb = createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': 'stub-request' }).end('{}');
    });
  });
  await new Promise<void>((listening) => dynamodb.listen(0, '127.0.0.1', listening));
  process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}`;
  process.env.TABLE_NAME = 'traced';
});

afterAll(async () => {
  getServices().documentClient.destroy();
  await new Promise((closed) => dynamodb.close(closed));
  restoreTracingEnvironment();
});

const middlewareNames = (stack: { identify(): string[] }) => stack.identify().map((entry) => entry.split(' - ')[0]);

test("the handlers' DynamoDB client carries the X-Ray middleware; the authorizer's does not (docs/decisions.md)", () => {
  expect(middlewareNames(getServices().documentClient.middlewareStack)).toContain(X_RAY_MIDDLEWARE);
  expect(middlewareNames(getAuthorizationServices().client.middlewareStack)).not.toContain(X_RAY_MIDDLEWARE);
});

test("each DynamoDB call of a handler is a subsegment of the invocation's segment", async () => {
  const segment = new Segment('invocation');
  await getNamespace().runPromise(async () => {
    setSegment(segment);
    await expect(getServices().store.getUser('acme', 'ada@acme.test')).resolves.toBeUndefined();
  });
  expect(segment.subsegments).toHaveLength(1);
  expect(segment.subsegments![0]).toMatchObject({
    name: 'DynamoDB',
    namespace: 'aws',
    aws: { operation: 'GetItem', table_name: 'traced', request_id: 'stub-request' },
    http: { response: { status: 200 } },
  });
});
