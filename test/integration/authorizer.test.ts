// The authorizer against DynamoDB Local, counting the SDK's calls: malformed credentials cost no call,
// a valid one exactly one BatchGetItem (plus at most one last_used update per token per minute), and so does
// every denial a token's policy makes (each named by its reason).
import { operatorContext } from '../../shared/domain/audit-entries';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { handler } from '../../functions/authorizer';
import { AccountService } from '../../shared/domain/account-service';
import { getAuthorizationServices } from '../../shared/runtime/authorizer-services';
import { getServices } from '../../shared/runtime/services';
import { TokenService } from '../../shared/domain/token-service';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../../shared/platform/logger';
import { tokenKey } from '../../shared/store/keys';
import { denialOf } from '../support/authorizer-answers';
import { createTestTable } from '../support/tables';

const operator = operatorContext('jest');
const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/api/v2/users/me';
const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const event = (authorization?: string) =>
  ({ type: 'REQUEST', methodArn, headers: authorization === undefined ? {} : { Authorization: authorization } }) as unknown as APIGatewayRequestAuthorizerEvent;

const calls: string[] = [];
let token: string;

beforeAll(async () => {
  await createTestTable();
  const { store } = getServices();
  getAuthorizationServices().client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const accounts = new AccountService(store);
  await accounts.createAccount(operator, { accountId: 'counted', name: 'Counted', plan: 'team', legacy: false, apiTokenAccess: true });
  await accounts.addUser(operator, { accountId: 'counted', email: 'agent@counted.test', role: 'agent', verified: true });
  ({ token } = await new TokenService(store).create({ ...operator, accountId: 'counted' }, null));
  calls.length = 0;
});

beforeEach(() => {
  calls.length = 0;
});

test.each([
  ['no header', undefined],
  ['not Basic', `Bearer ${'x'.repeat(40)}`],
  ['bad base64', 'Basic %%%'],
  ['no /token suffix', basic('agent@counted.test:secret')],
  ['bad checksum', basic('agent@counted.test/token:apit_counted_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA000000')],
])('%s: denied with no DynamoDB call', async (_name, header) => {
  await expect(handler(event(header))).resolves.toEqual(denialOf(methodArn));
  expect(calls).toEqual([]);
});

test('a valid credential costs one BatchGetItem, plus one last_used update at most once a minute', async () => {
  const first = await handler(event(basic(`agent@counted.test/token:${token}`)));
  expect(calls).toEqual(['BatchGetItemCommand', 'UpdateItemCommand']);
  expect(first.context).toMatchObject({ accountId: 'counted', email: 'agent@counted.test', role: 'agent', authType: 'api_token' });
  expect(first.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*' });

  calls.length = 0;
  for (let i = 0; i < 5; i += 1) await handler(event(basic(`agent@counted.test/token:${token}`)));
  expect(calls).toEqual(Array(5).fill('BatchGetItemCommand'));
});

test('a well-formed but wrong credential costs exactly one BatchGetItem and no write', async () => {
  await expect(handler(event(basic(`nobody@counted.test/token:${token}`)))).resolves.toEqual(denialOf(methodArn));
  expect(calls).toEqual(['BatchGetItemCommand']);
});

/** A REST REQUEST authorizer event as API Gateway sends it: `headers` keeps the last value, `multiValueHeaders` all. */
const restEvent = (pairs: [string, string][]) => {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { type: 'REQUEST', methodArn, headers, multiValueHeaders } as unknown as APIGatewayRequestAuthorizerEvent;
};

describe('more than one Authorization value is malformed, with no DynamoDB call', () => {
  test.each([
    ['two values of one header', 'Authorization', 'Authorization'],
    ['one header in two spellings', 'Authorization', 'authorization'],
  ])('%s', async (_name, firstName, secondName) => {
    const valid = basic(`agent@counted.test/token:${token}`);
    await expect(handler(restEvent([[firstName, valid], [secondName, valid]]))).resolves.toEqual(denialOf(methodArn));
    expect(calls).toEqual([]);
  });

  test('the control: the same credentials once, in the same event shape, are allowed', async () => {
    const valid = basic(`agent@counted.test/token:${token}`);
    await expect(handler(restEvent([['Authorization', valid]]))).resolves.toMatchObject({ principalId: expect.any(String) });
  });
});

describe("a token's policy denies with its own reason, after the one BatchGetItem", () => {
  const tokens = () => new TokenService(getServices().store);

  /** The reason the authorizer logs for a denial (logged at INFO, which the tests do not print). */
  async function deniedWith(authorization: string): Promise<unknown> {
    const info = jest.spyOn(logger, 'info');
    try {
      await expect(handler(event(authorization))).resolves.toEqual(denialOf(methodArn));
      return info.mock.calls.find(([message]) => message === 'Authentication denied')?.[1];
    } finally {
      info.mockRestore();
    }
  }

  test("a role ceiling: allowed, with the lower of the user's role and the ceiling in the context", async () => {
    await new AccountService(getServices().store).addUser(operator, { accountId: 'counted', email: 'admin@counted.test', role: 'admin', verified: true });
    const { token: ceilinged } = await tokens().create({ ...operator, accountId: 'counted' }, null, { maxRole: 'agent' });
    calls.length = 0;
    await expect(handler(event(basic(`admin@counted.test/token:${ceilinged}`)))).resolves.toMatchObject({ context: { role: 'agent', email: 'admin@counted.test' } });
    expect(calls).toEqual(['BatchGetItemCommand', 'UpdateItemCommand']);
    await expect(handler(event(basic(`agent@counted.test/token:${ceilinged}`)))).resolves.toMatchObject({ context: { role: 'agent' } });
  });

  test("a token bound to another user: token_bound_to_other_user, and allowed with its own user's email", async () => {
    const { store } = getServices();
    const bound = await new AccountService(store).addUser(operator, { accountId: 'counted', email: 'bound@counted.test', role: 'agent', verified: true });
    const { token: boundToken } = await tokens().create({ ...operator, accountId: 'counted' }, null, { assignedUserId: bound.userId });
    calls.length = 0;
    expect(await deniedWith(basic(`agent@counted.test/token:${boundToken}`))).toEqual({ reason: 'token_bound_to_other_user' });
    expect(calls).toEqual(['BatchGetItemCommand']);
    calls.length = 0;
    await expect(handler(event(basic(`bound@counted.test/token:${boundToken}`)))).resolves.toMatchObject({ context: { email: 'bound@counted.test' } });
    expect(calls[0]).toBe('BatchGetItemCommand');
  });

  test('a request from outside the allow-list: ip_not_allowed; from inside it, allowed; with no source address, denied', async () => {
    const { token: listed } = await tokens().create({ ...operator, accountId: 'counted' }, null, { allowedIps: ['203.0.113.0/24', '2001:db8::/32'] });
    const from = (sourceIp: string | undefined) => ({ ...event(basic(`agent@counted.test/token:${listed}`)), requestContext: { identity: { sourceIp } } }) as APIGatewayRequestAuthorizerEvent;
    for (const outside of ['198.51.100.7', '2001:db9::1', undefined]) {
      calls.length = 0;
      const info = jest.spyOn(logger, 'info');
      try {
        await expect(handler(from(outside))).resolves.toEqual(denialOf(methodArn));
        expect([outside, info.mock.calls.find(([message]) => message === 'Authentication denied')?.[1]]).toEqual([outside, { reason: 'ip_not_allowed' }]);
      } finally {
        info.mockRestore();
      }
      expect(calls).toEqual(['BatchGetItemCommand']);
    }
    for (const inside of ['203.0.113.9', '2001:db8::1']) {
      calls.length = 0;
      await expect(handler(from(inside))).resolves.toMatchObject({ principalId: expect.any(String) });
      expect(calls[0]).toBe('BatchGetItemCommand');
    }
  });

  test('an expired token: token_expired', async () => {
    const { apiToken, token: expiring } = await tokens().create({ ...operator, accountId: 'counted' }, null, { expiresAt: '2099-01-01T00:00:00Z' });
    const valid = basic(`agent@counted.test/token:${expiring}`);
    await expect(handler(event(valid))).resolves.toMatchObject({ principalId: expect.any(String) });
    await getServices().documentClient.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: tokenKey('counted', apiToken.tokenId),
        UpdateExpression: 'SET policy.expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    calls.length = 0;
    expect(await deniedWith(valid)).toEqual({ reason: 'token_expired' });
    expect(calls).toEqual(['BatchGetItemCommand']);
  });
});
