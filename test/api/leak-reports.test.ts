// Leak reports through the local stack: `POST /api/v2/api_tokens/revocations` takes no credentials, deactivates
// every reported active token of any account at once (also with the kill switch on or the account suspended),
// audits each as Secret scanning (actor -2) with the reporter's IP, and answers 202 {} with the same headers
// whatever the report held — unknown, malformed and already-deactivated tokens alike — no sooner than the
// configured floor; bodies that are not a report are 400, 413 or 415, and an outage is a 503.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { handler as reportLeakedTokens } from '../../functions/report-leaked-tokens';
import { REPORTED_LEAKED_DESCRIPTION, REPORTED_LEAKED_EVENT } from '../../shared/domain/leak-reports';
import { generateToken } from '../../shared/domain/token-format';
import { LEAK_REPORT_MAX_BODY_BYTES } from '../../shared/http/routes';
import { loadConfig } from '../../shared/platform/config';
import { createServices } from '../../shared/runtime/services';
import { createDocumentClient } from '../../shared/store/document-client';
import { DynamoTokenStore } from '../../shared/store/dynamo-store';
import { refusedEndpoint } from '../support/dynamodb-outage';
import {
  basicAuth,
  createToken,
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  tokenIdOf,
  tokenPath,
  type ApiResponse,
  type ApiStack,
  type ProvisionedAccount,
} from '../support/api-stack';
import { answerOf, UNAUTHORIZED_ANSWER } from '../support/token-policy-suite';
import { accountPartition } from '../support/tables';

/** Lowered through the configuration, as the handlers read it: the tests need not wait 2 s per report. */
const FLOOR_MS = 300;
process.env.LEAK_REPORT_RESPONSE_FLOOR_MS = String(FLOOR_MS);

const REPORT_PATH = '/api/v2/api_tokens/revocations';
type AuditBody = { audit_logs: { action: string; event: string; change_description: string; source_id: number; actor_id: number; actor_name: string; ip_address: string | null }[] };
type TokenBody = { api_token: { active: boolean } };

let stack: ApiStack;
let accountCount = 0;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(() => stack.close());

const newAccount = () => provisionAccount(stack, `leak${(accountCount += 1)}`);
const report = (tokens: unknown, options: { headers?: Record<string, string> } = {}) =>
  request<Record<string, unknown>>(stack, 'POST', REPORT_PATH, { body: { tokens }, ...options });
const me = (owner: ProvisionedAccount, token: string) => request(stack, 'GET', '/api/v2/users/me.json', { auth: { email: owner.admin.email, token } });
const shown = async (owner: ProvisionedAccount, token: string) =>
  (await request<TokenBody>(stack, 'GET', tokenPath(tokenIdOf(token)), { auth: owner.adminAuth })).json.api_token;
const reportedEntries = async (owner: ProvisionedAccount) => {
  const response = await request<AuditBody>(stack, 'GET', '/api/v2/audit_logs.json?filter[actor_id]=-2', { auth: owner.adminAuth });
  expect(response.status).toBe(200);
  return response.json.audit_logs;
};

/** Everything a reporter sees of an answer, less what differs on every request of any route. */
function visibleOf(response: ApiResponse) {
  const headers = [...response.headers].filter(([name]) => !['x-amzn-requestid', 'date'].includes(name.toLowerCase()));
  return { status: response.status, headers, text: response.text };
}

/** A string in the token format whose account and token do not exist. */
const unknownToken = () => generateToken('nosuchaccount', 4242).token;

describe('a report', () => {
  test('deactivates the reported tokens of several accounts at once; each then fails with the usual 401; each is audited as Secret scanning', async () => {
    const [first, second] = [await newAccount(), await newAccount()];
    const leaked = [await createToken(stack, first.accountId, 'ci'), await createToken(stack, first.accountId, 'deploy'), await createToken(stack, second.accountId, 'laptop')];
    for (const token of leaked) expect((await me(token.includes(first.accountId) ? first : second, token)).status).toBe(200);

    const response = await report(leaked);
    expect(response.status).toBe(202);
    expect(response.json).toEqual({});

    for (const [owner, token] of [[first, leaked[0]!], [first, leaked[1]!], [second, leaked[2]!]] as const) {
      expect(answerOf(await me(owner, token))).toEqual(UNAUTHORIZED_ANSWER);
      expect((await shown(owner, token)).active).toBe(false);
    }
    // The accounts' own tokens, not reported, still work.
    expect((await me(first, first.token)).status).toBe(200);
    expect((await me(second, second.token)).status).toBe(200);

    const entries = await reportedEntries(first);
    expect(entries.map((entry) => entry.source_id).sort()).toEqual([tokenIdOf(leaked[0]!), tokenIdOf(leaked[1]!)].sort());
    for (const entry of [...entries, ...(await reportedEntries(second))]) {
      expect(entry).toMatchObject({
        action: 'update',
        event: REPORTED_LEAKED_EVENT,
        change_description: REPORTED_LEAKED_DESCRIPTION,
        actor_id: -2,
        actor_name: 'Secret scanning',
        ip_address: '127.0.0.1',
      });
    }
    expect((await reportedEntries(second)).map((entry) => entry.source_id)).toEqual([tokenIdOf(leaked[2]!)]);
  });

  test('unknown, malformed, forged and already-deactivated tokens get the very answer a live token gets, and change nothing', async () => {
    const owner = await newAccount();
    const deactivated = await createToken(stack, owner.accountId, 'old');
    await stack.tokens.update({ ...OPERATOR, accountId: owner.accountId }, tokenIdOf(deactivated), { active: false });
    const live = await createToken(stack, owner.accountId, 'live');
    const before = await accountPartition(stack.table, owner.accountId);
    // The id of a live token with a secret that is not its own: well-formed, checksum and all.
    const forged = generateToken(owner.accountId, tokenIdOf(live)).token;

    const answers = [
      await report([unknownToken()]),
      await report(['not a token', `${live.slice(0, -1)}!`, `${live}x`, '']),
      await report([deactivated]),
      await report([forged]),
    ];
    const after = await accountPartition(stack.table, owner.accountId);
    expect(after.items).toEqual(before.items);

    answers.push(await report([live]));
    const [reference, ...others] = answers.map(visibleOf);
    expect(reference).toMatchObject({ status: 202, text: '{}' });
    for (const other of others) expect(other).toEqual(reference);
    expect((await shown(owner, live)).active).toBe(false);
    expect((await reportedEntries(owner)).map((entry) => entry.source_id)).toEqual([tokenIdOf(live)]);
  });

  test('is answered no sooner than the floor after it arrived, whatever it held', async () => {
    const owner = await newAccount();
    for (const tokens of [['not a token'], [unknownToken()], [await createToken(stack, owner.accountId)]]) {
      const started = Date.now();
      expect((await report(tokens)).status).toBe(202);
      // Timers may fire a millisecond early against Date.now().
      expect(Date.now() - started).toBeGreaterThanOrEqual(FLOOR_MS - 2);
    }
  });

  test('a token reported twice, or again in a later report, is deactivated and audited once', async () => {
    const owner = await newAccount();
    const leaked = await createToken(stack, owner.accountId);
    expect((await report([leaked, leaked])).status).toBe(202);
    expect((await report([leaked])).status).toBe(202);
    expect(await reportedEntries(owner)).toHaveLength(1);
  });

  test('deactivates with the kill switch on and in a suspended account (the safe direction)', async () => {
    const [killed, suspended] = [await newAccount(), await newAccount()];
    const [killedToken, suspendedToken] = [await createToken(stack, killed.accountId), await createToken(stack, suspended.accountId)];
    await stack.accounts.updateAccount(OPERATOR, killed.accountId, { apiTokenAccess: false });
    await stack.accounts.updateAccount(OPERATOR, suspended.accountId, { status: 'suspended' });

    expect((await report([killedToken, suspendedToken])).status).toBe(202);

    for (const [owner, token] of [[killed, killedToken], [suspended, suspendedToken]] as const) {
      const { tokens, audits } = await accountPartition(stack.table, owner.accountId);
      expect(tokens.find((stored) => stored.tokenId === tokenIdOf(token))?.active).toBe(false);
      expect(audits.filter((entry) => entry.event === REPORTED_LEAKED_EVENT).map((entry) => [entry.sourceId, entry.actorId])).toEqual([[String(tokenIdOf(token)), -2]]);
    }
    // Back on, the reported token stays deactivated while the account's own works again.
    await stack.accounts.updateAccount(OPERATOR, killed.accountId, { apiTokenAccess: true });
    expect((await me(killed, killed.token)).status).toBe(200);
    expect(answerOf(await me(killed, killedToken))).toEqual(UNAUTHORIZED_ANSWER);
  });
});

describe('credentials', () => {
  test('none are needed, and any Authorization header is ignored: valid, invalid or malformed, the answer is the same', async () => {
    const owner = await newAccount();
    const answers: ApiResponse[] = [];
    for (const authorization of [undefined, basicAuth(owner.admin.email, owner.token), basicAuth('nobody@leak.test', unknownToken()), 'Bearer nonsense']) {
      const leaked = await createToken(stack, owner.accountId);
      answers.push(await report([leaked], { headers: authorization === undefined ? {} : { Authorization: authorization } }));
      expect((await shown(owner, leaked)).active).toBe(false);
    }
    const [reference, ...others] = answers.map(visibleOf);
    for (const other of others) expect(other).toEqual(reference);
    expect(reference?.headers.map(([name]) => name.toLowerCase())).not.toContain('www-authenticate');
  });

  test('the .json twin of the path takes reports too', async () => {
    const owner = await newAccount();
    const leaked = await createToken(stack, owner.accountId);
    expect((await request(stack, 'POST', `${REPORT_PATH}.json`, { body: { tokens: [leaked] } })).status).toBe(202);
    expect((await shown(owner, leaked)).active).toBe(false);
  });
});

describe('a body that is not a report', () => {
  const padded = (bytes: number) => {
    const shell = JSON.stringify({ tokens: [''] });
    return JSON.stringify({ tokens: ['x'.repeat(bytes - shell.length)] });
  };

  test.each([
    ['more than 100 tokens', { tokens: Array.from({ length: 101 }, () => 'x') }],
    ['no tokens', { tokens: [] }],
    ['tokens that are not strings', { tokens: ['x', 7] }],
    ['tokens that are not an array', { tokens: 'apit_x' }],
    ['another field beside tokens', { tokens: ['x'], note: 'found on a paste site' }],
    ['no tokens field', { token: ['x'] }],
    ['an array', ['x']],
    ['not JSON', '{"tokens": ['],
    ['JSON null', 'null'],
  ])('%s: 400 BadRequest', async (_what, body) => {
    const response = await request<{ error: string }>(stack, 'POST', REPORT_PATH, { body });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('BadRequest');
  });

  test('an empty body: 400', async () => {
    const response = await request<{ error: string }>(stack, 'POST', REPORT_PATH, { headers: { 'Content-Type': 'application/json' } });
    expect([response.status, response.json.error]).toEqual([400, 'BadRequest']);
  });

  test('64 KiB is taken; one byte more is 413 PayloadTooLarge', async () => {
    expect(Buffer.byteLength(padded(LEAK_REPORT_MAX_BODY_BYTES))).toBe(64 * 1024);
    expect((await request(stack, 'POST', REPORT_PATH, { body: padded(LEAK_REPORT_MAX_BODY_BYTES) })).status).toBe(202);
    const tooLarge = await request<{ error: string; description: string }>(stack, 'POST', REPORT_PATH, { body: padded(LEAK_REPORT_MAX_BODY_BYTES + 1) });
    expect([tooLarge.status, tooLarge.json]).toEqual([413, { error: 'PayloadTooLarge', description: 'Request body is larger than 64 KiB' }]);
  });

  test('a body not sent as JSON: 415 UnsupportedMediaType, and nothing is deactivated', async () => {
    const owner = await newAccount();
    const leaked = await createToken(stack, owner.accountId);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await request<{ error: string }>(stack, 'POST', REPORT_PATH, { body: { tokens: [leaked] }, headers: { 'Content-Type': contentType } });
      expect([response.status, response.json.error]).toEqual([415, 'UnsupportedMediaType']);
    }
    expect((await me(owner, leaked)).status).toBe(200);
  });
});

describe('DynamoDB unreachable', () => {
  test('a report with tokens in the format is a 503 with Retry-After (send it again); one of malformed strings alone reads nothing, so is still a 202', async () => {
    const outage = await refusedEndpoint();
    const config = loadConfig({ DYNAMODB_ENDPOINT: outage.endpoint, TABLE_NAME: stack.table.tableName, LEAK_REPORT_RESPONSE_FLOOR_MS: '0' });
    const documentClient = createDocumentClient({ dynamodbEndpoint: outage.endpoint, region: 'us-east-1' });
    const handler = reportLeakedTokens.withServices(createServices(config, new DynamoTokenStore(documentClient, config.tableName)));
    const eventOf = (tokens: string[]) =>
      ({
        httpMethod: 'POST',
        path: REPORT_PATH,
        resource: REPORT_PATH,
        headers: { 'Content-Type': 'application/json' },
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        body: JSON.stringify({ tokens }),
        isBase64Encoded: false,
        requestContext: { identity: { sourceIp: '198.51.100.7', userAgent: 'jest' } },
      }) as unknown as APIGatewayProxyEvent;
    try {
      const unavailable = await handler(eventOf([unknownToken(), 'not a token']));
      expect(unavailable.statusCode).toBe(503);
      expect(unavailable.headers).toMatchObject({ 'Retry-After': '1' });
      expect(JSON.parse(unavailable.body)).toMatchObject({ error: 'ServiceUnavailable' });
      const malformed = await handler(eventOf(['not a token', 'apit_nope']));
      expect([malformed.statusCode, malformed.body]).toEqual([202, '{}']);
    } finally {
      documentClient.destroy();
      await outage.close();
    }
  });
});
