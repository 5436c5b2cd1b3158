// Revocation is final, tried as an attacker with a stolen token would: many writes made with token X are
// in flight while X is deactivated, API token access is turned off, or X's user is suspended with tokenctl.
// Each round checks that the revocation wins: X ends deactivated and never reactivated itself, access
// ends off and was never turned on through the API, and nothing made on the revoked authority committed
// after the revocation was acknowledged.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  addUser,
  createToken,
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  type ApiResponse,
  type ApiStack,
  tokenIdOf,
  tokenPath,
} from '../support/api-stack';
import { accountPartition } from '../support/tables';

jest.setTimeout(180_000);

const ROUNDS = 10;
/** Writes made with the revoked token at any moment of a round. */
const IN_FLIGHT = 16;
const REPO_ROOT = resolve(__dirname, '../..');

type Auth = { email: string; token: string };
type TokenBody = { api_token: { id: number; active: boolean; description: string | null } };

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});

afterAll(() => stack.close());


/** A second admin of the account, who revokes while the first one's token is busy. */
async function secondAdmin(accountId: string): Promise<Auth> {
  const email = `security@${accountId}.test`;
  await addUser(stack, accountId, email, 'admin');
  return { email, token: await createToken(stack, accountId, 'security team') };
}

/**
 * Keeps IN_FLIGHT writes made with `auth` going until `revoke` is acknowledged, then lets the writes in
 * flight finish. Returns the revocation's response, what the partition held right after it, and every
 * response the writes got.
 */
async function raceAgainst(
  accountId: string,
  write: (worker: number, iteration: number) => Promise<ApiResponse>,
  revoke: () => Promise<unknown>,
) {
  let revoked = false;
  const responses: ApiResponse[] = [];
  const workers = Array.from({ length: IN_FLIGHT }, async (_, worker) => {
    for (let iteration = 0; !revoked; iteration += 1) responses.push(await write(worker, iteration));
  });
  // Let the writes get going before the revocation is sent.
  await new Promise((done) => setTimeout(done, 10 + Math.random() * 20));
  const revocation = await revoke();
  revoked = true;
  const afterRevocation = await accountPartition(stack.table, accountId);
  await Promise.all(workers);
  return { revocation, afterRevocation, responses, final: await accountPartition(stack.table, accountId) };
}

const auditIds = (audits: { auditId: number }[]) => audits.map((audit) => audit.auditId).sort((a, b) => a - b);

function expectNoServerErrors(responses: ApiResponse[], allowed: number[]) {
  expect([...new Set(responses.map((response) => response.status))].filter((status) => !allowed.includes(status))).toEqual([]);
}

test('writes made with a token that is being deactivated never outlive the deactivation', async () => {
  const acme = await provisionAccount(stack, 'acme');
  const security = await secondAdmin('acme');
  const targets = await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => (await stack.tokens.create({ ...OPERATOR, accountId: 'acme' }, 'edited in the race')).apiToken.tokenId),
  );
  for (let round = 0; round < ROUNDS; round += 1) {
    const stolen = await createToken(stack, 'acme', `stolen ${round}`);
    const x = tokenIdOf(stolen);
    const auth = { email: acme.admin.email, token: stolen };
    const { revocation, afterRevocation, responses, final } = await raceAgainst(
      'acme',
      (worker, iteration) => {
        // Self-reactivation, token creation and edits of another token, all with X.
        if (worker % 3 === 0) return request(stack, 'PUT', tokenPath(x), { auth, body: { api_token: { active: true } } });
        if (worker % 3 === 1 && iteration === 0) return request(stack, 'POST', '/api/v2/api_tokens.json', { auth, body: { api_token: { description: `minted ${round}` } } });
        return request(stack, 'PUT', tokenPath(targets[worker]!), { auth, body: { api_token: { description: `edit ${round}.${worker}.${iteration}` } } });
      },
      () => request<TokenBody>(stack, 'PUT', tokenPath(x), { auth: security, body: { api_token: { active: false } } }),
    );

    expect((revocation as ApiResponse<TokenBody>).status).toBe(200);
    expectNoServerErrors(responses, [200, 201, 401]);
    // X ends deactivated, and nothing ever reactivated it.
    expect(final.tokens.find((token) => token.tokenId === x)?.active).toBe(false);
    const onX = final.audits.filter((audit) => audit.sourceType === 'api_token' && audit.sourceId === String(x)).map((audit) => audit.event);
    expect(onX.sort()).toEqual(['api_token.created', 'api_token.deactivated']);
    // Nothing made with X committed after the deactivation was acknowledged.
    const byX = (audits: { actorApiTokenId?: number | null; auditId: number }[]) => auditIds(audits.filter((audit) => audit.actorApiTokenId === x));
    expect(byX(final.audits)).toEqual(byX(afterRevocation.audits));
    // Every token minted with X is one a 201 announced, and no refused create left one behind.
    const minted = final.tokens.filter((token) => token.description === `minted ${round}`).length;
    expect(minted).toBe(responses.filter((response) => response.status === 201).length);
    expect(final.account!.tokenCount).toBe(final.tokens.length);
  }
});

test('the kill switch wins over a token turning API token access back on', async () => {
  const kill = await provisionAccount(stack, 'kill');
  const security = await secondAdmin('kill');
  for (let round = 0; round < ROUNDS; round += 1) {
    await stack.accounts.updateAccount(OPERATOR, 'kill', { apiTokenAccess: true });
    const { revocation, responses, final } = await raceAgainst(
      'kill',
      () => request(stack, 'PUT', '/api/v2/account/settings.json', { auth: kill.adminAuth, body: { settings: { api: { api_token_access: true } } } }),
      () => request(stack, 'PUT', '/api/v2/account/settings.json', { auth: security, body: { settings: { api: { api_token_access: false } } } }),
    );
    expect((revocation as ApiResponse).status).toBe(200);
    expectNoServerErrors(responses, [200, 401]);
    expect(final.account!.apiTokenAccess).toBe(false);
    // Only operators ever turned access on: the API cannot.
    const turnedOn = final.audits.filter((audit) => audit.changeDescription === 'API token access turned on');
    expect(turnedOn.map((audit) => audit.actorId).filter((actorId) => actorId !== -1)).toEqual([]);
  }
});

function tokenctl(args: string[]): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/tokenctl.cjs', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DYNAMODB_ENDPOINT: stack.table.endpoint, TABLE_NAME: stack.table.tableName },
      stdio: 'ignore',
    });
    child.on('error', fail);
    child.on('close', done);
  });
}

test('a user suspended with tokenctl makes no change after the suspension, whatever was in flight', async () => {
  const susp = await provisionAccount(stack, 'susp');
  // One token per worker: the writes compete with the suspension, not with each other.
  const targets = await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => (await stack.tokens.create({ ...OPERATOR, accountId: 'susp' }, 'edited in the race')).apiToken.tokenId),
  );
  const descriptions = (partition: Awaited<ReturnType<typeof accountPartition>>) =>
    targets.map((id) => partition.tokens.find((token) => token.tokenId === id)?.description);
  for (let round = 0; round < ROUNDS; round += 1) {
    const { revocation, afterRevocation, responses, final } = await raceAgainst(
      'susp',
      (worker, iteration) =>
        request(stack, 'PUT', tokenPath(targets[worker]!), { auth: susp.adminAuth, body: { api_token: { description: `edit ${round}.${worker}.${iteration}` } } }),
      () => tokenctl(['users', 'update', 'susp', susp.admin.email, '--suspended', 'true']),
    );
    expect(revocation).toBe(0);
    expectNoServerErrors(responses, [200, 401]);
    const byUser = (audits: { actorId: number; auditId: number }[]) => auditIds(audits.filter((audit) => audit.actorId === susp.admin.userId));
    expect(byUser(final.audits)).toEqual(byUser(afterRevocation.audits));
    expect(descriptions(final)).toEqual(descriptions(afterRevocation));
    await stack.accounts.updateUser(OPERATOR, 'susp', susp.admin.email, { suspended: false });
  }
});
