// The authorizer's init phase (shared/runtime/authorizer-services.ts): in Lambda, loading the module makes
// the DynamoDB client and writes the ColdStart metric, so the container's first request does neither; a
// broken configuration does not fail the init but fails the first request closed; outside Lambda nothing
// happens at load. Each case loads a fresh copy of the module with the environment Lambda would give it.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { operatorContext } from '../../shared/domain/audit-entries';
import { AccountService } from '../../shared/domain/account-service';
import { TokenService } from '../../shared/domain/token-service';
import { getServices } from '../../shared/runtime/services';
import { createTestTable } from '../support/tables';
import type { EmfRecord } from '../support/metrics';

type Handler = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

const operator = operatorContext('jest');
const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/api/v2/users/me';
const eventWith = (authorization: string) =>
  ({ type: 'REQUEST', methodArn, headers: { Authorization: authorization } }) as unknown as APIGatewayRequestAuthorizerEvent;
let credentials: string;
let tableName: string;

beforeAll(async () => {
  ({ tableName } = await createTestTable());
  const { store } = getServices();
  await new AccountService(store).createAccount(operator, { accountId: 'init', name: 'Init', plan: 'team', legacy: false, apiTokenAccess: true });
  await new AccountService(store).addUser(operator, { accountId: 'init', email: 'agent@init.test', role: 'agent', verified: true });
  const { token } = await new TokenService(store).create({ ...operator, accountId: 'init' }, null);
  credentials = `Basic ${Buffer.from(`agent@init.test/token:${token}`).toString('base64')}`;
});

interface Loaded {
  handler: Handler;
  /** Clients made so far by this copy of the module. */
  clientsMade: () => number;
  /** EMF records written to stdout while loading. */
  metricsAtLoad: EmfRecord[];
}

/** Loads a fresh copy of the authorizer with `env` added to the environment, counting the clients it makes. */
function loadAuthorizer(env: Record<string, string>): Loaded {
  const saved = { ...process.env };
  Object.assign(process.env, { POWERTOOLS_METRICS_DISABLED: 'false' }, env);
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  let made = 0;
  let handler: Handler | undefined;
  try {
    jest.isolateModules(() => {
      const actual = jest.requireActual<typeof import('../../shared/store/dynamodb-client')>('../../shared/store/dynamodb-client');
      jest.doMock('../../shared/store/dynamodb-client', () => ({
        ...actual,
        createDynamoDbClient: (...args: Parameters<typeof actual.createDynamoDbClient>) => {
          made += 1;
          return actual.createDynamoDbClient(...args);
        },
      }));
      ({ handler } = jest.requireActual<typeof import('../../functions/authorizer')>('../../functions/authorizer'));
    });
  } finally {
    write.mockRestore();
  }
  // The environment stays as loaded until the case restores it (afterEach).
  restoreLater.push(saved);
  const metricsAtLoad = written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as EmfRecord)
    .filter((record) => '_aws' in record);
  return { handler: handler!, clientsMade: () => made, metricsAtLoad };
}

const restoreLater: NodeJS.ProcessEnv[] = [];
afterEach(() => {
  const saved = restoreLater.pop();
  if (saved) process.env = saved;
  jest.dontMock('../../shared/store/dynamodb-client');
});

const IN_LAMBDA = { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand', AWS_LAMBDA_FUNCTION_NAME: 'tokens-authorizer' };

test('in Lambda, loading the module makes the client and counts the cold start; the first request makes nothing more', async () => {
  const loaded = loadAuthorizer({ ...IN_LAMBDA, TABLE_NAME: tableName });
  expect(loaded.clientsMade()).toBe(1);
  expect(loaded.metricsAtLoad).toEqual([
    expect.objectContaining({
      _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Metrics: [{ Name: 'ColdStart', Unit: 'Count' }] })] }),
      function_name: 'tokens-authorizer',
      ColdStart: 1,
    }),
  ]);
  const answer = await loaded.handler(eventWith(credentials));
  expect(answer.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  expect(answer.context).toMatchObject({ accountId: 'init', email: 'agent@init.test' });
  expect(loaded.clientsMade()).toBe(1);
});

test('in Lambda, a broken configuration does not fail the init: the first request fails closed and names it', async () => {
  const loaded = loadAuthorizer({ ...IN_LAMBDA, TABLE_NAME: 'not a table name!' });
  expect(loaded.clientsMade()).toBe(0);
  await expect(loaded.handler(eventWith(credentials))).rejects.toThrow(/Invalid configuration: TABLE_NAME/);
});

test('outside Lambda, loading the module makes no client and writes no metric; the first request makes the client', async () => {
  const loaded = loadAuthorizer({ TABLE_NAME: tableName });
  expect(loaded.clientsMade()).toBe(0);
  expect(loaded.metricsAtLoad).toEqual([]);
  const answer = await loaded.handler(eventWith(credentials));
  expect(answer.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  expect(loaded.clientsMade()).toBe(1);
});
