// Races through the emulator, each repeated: deactivate+delete, reactivate+delete, double delete, two
// creates at limit−1, racing description edits. Every time: no 500, only the outcomes a serial order
// allows, token_count = token items, and exactly one audit entry per change that was applied.
import {
  OPERATOR,
  provisionAccount,
  request,
  startApiStack,
  type ApiResponse,
  type ApiStack,
  type ProvisionedAccount,
} from '../support/api-stack';
import { accountPartition } from '../support/tables';

const ROUNDS = 10;
type TokenBody = { api_token: { id: number; active: boolean; description: string | null } };
type ErrorBody = { error: string; details?: { base?: { error: string }[] } };

let stack: ApiStack;
let acme: ProvisionedAccount;

beforeAll(async () => {
  stack = await startApiStack();
  acme = await provisionAccount(stack, 'acme');
});

afterAll(() => stack.close());

const auth = () => ({ auth: acme.adminAuth });
const tokenPath = (id: number) => `/api/v2/api_tokens/${id}.json`;
const setActive = (id: number, active: boolean) => request<TokenBody & ErrorBody>(stack, 'PUT', tokenPath(id), { ...auth(), body: { api_token: { active } } });
const remove = (id: number) => request<ErrorBody>(stack, 'DELETE', tokenPath(id), auth());

async function newToken(accountId = 'acme', active = true): Promise<number> {
  const { apiToken } = await stack.tokens.create({ ...OPERATOR, accountId }, 'race');
  if (!active) await stack.tokens.update({ ...OPERATOR, accountId }, apiToken.tokenId, { active: false });
  return apiToken.tokenId;
}


async function auditsOf(tokenId: number): Promise<string[]> {
  const { audits } = await accountPartition(stack.table, 'acme');
  return audits
    .filter((audit) => audit.sourceType === 'api_token' && audit.sourceId === String(tokenId))
    .sort((a, b) => a.auditId - b.auditId)
    .map((audit) => audit.event);
}

async function expectCountMatchesItems(accountId = 'acme') {
  const { account, tokens } = await accountPartition(stack.table, accountId);
  expect(account!.tokenCount).toBe(tokens.length);
}

const noServerErrors = (...responses: ApiResponse[]) => {
  for (const response of responses) expect(response.status).toBeLessThan(500);
};

test('deactivate racing delete on an active token', async () => {
  for (let round = 0; round < ROUNDS; round += 1) {
    const id = await newToken();
    const [deactivated, deleted] = await Promise.all([setActive(id, false), remove(id)]);
    noServerErrors(deactivated, deleted);
    expect(deactivated.status).toBe(200);
    const events = await auditsOf(id);
    if (deleted.status === 204) {
      // Serial order: deactivate, then delete.
      expect(events).toEqual(['api_token.created', 'api_token.deactivated', 'api_token.deleted']);
    } else {
      // Serial order: delete (refused, still active), then deactivate.
      expect(deleted.status).toBe(422);
      expect(deleted.json.details?.base?.[0]?.error).toBe('TokenActive');
      expect(events).toEqual(['api_token.created', 'api_token.deactivated']);
    }
    await expectCountMatchesItems();
  }
});

test('reactivate racing delete on a deactivated token', async () => {
  for (let round = 0; round < ROUNDS; round += 1) {
    const id = await newToken('acme', false);
    const [reactivated, deleted] = await Promise.all([setActive(id, true), remove(id)]);
    noServerErrors(reactivated, deleted);
    const events = await auditsOf(id);
    if (deleted.status === 204) {
      // Serial order: delete, then the reactivation finds nothing.
      expect(reactivated.status).toBe(404);
      expect(events).toEqual(['api_token.created', 'api_token.deactivated', 'api_token.deleted']);
    } else {
      // Serial order: reactivate, then the delete is refused.
      expect(deleted.status).toBe(422);
      expect(reactivated.status).toBe(200);
      expect(events).toEqual(['api_token.created', 'api_token.deactivated', 'api_token.reactivated']);
    }
    await expectCountMatchesItems();
  }
});

test('double delete: exactly one succeeds', async () => {
  for (let round = 0; round < ROUNDS; round += 1) {
    const id = await newToken('acme', false);
    const responses = await Promise.all([remove(id), remove(id)]);
    noServerErrors(...responses);
    expect(responses.map((response) => response.status).sort()).toEqual([204, 404]);
    expect(await auditsOf(id)).toEqual(['api_token.created', 'api_token.deactivated', 'api_token.deleted']);
    await expectCountMatchesItems();
  }
});

test('two creates at limit−1: exactly one succeeds', async () => {
  const nearly = await provisionAccount(stack, 'nearly');
  const context = { ...OPERATOR, accountId: 'nearly' };
  while ((await stack.accounts.getAccount('nearly')).tokenCount < 255) {
    await Promise.all(Array.from({ length: Math.min(16, 255 - (await stack.accounts.getAccount('nearly')).tokenCount) }, () => stack.tokens.create(context, null)));
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    const create = () => request<TokenBody & ErrorBody>(stack, 'POST', '/api/v2/api_tokens.json', { auth: nearly.adminAuth });
    const responses = await Promise.all([create(), create()]);
    noServerErrors(...responses);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 422]);
    const created = responses.find((response) => response.status === 201)!.json.api_token.id;
    const { account, tokens, audits } = await accountPartition(stack.table, 'nearly');
    expect(account!.tokenCount).toBe(256);
    expect(tokens).toHaveLength(256);
    expect(audits.filter((audit) => audit.event === 'api_token.created')).toHaveLength(256 + round);
    // Make room again for the next round.
    await stack.tokens.update(context, created, { active: false });
    await stack.tokens.delete(context, created);
  }
}, 120_000);

test('racing description edits all apply, one after another, each audited once', async () => {
  for (let round = 0; round < ROUNDS; round += 1) {
    const id = await newToken();
    const descriptions = Array.from({ length: 6 }, (_, i) => `edit ${round}.${i}`);
    const responses = await Promise.all(
      descriptions.map((description) => request<TokenBody>(stack, 'PUT', tokenPath(id), { ...auth(), body: { api_token: { description } } })),
    );
    noServerErrors(...responses);
    for (const response of responses) expect(response.status).toBe(200);
    const { audits } = await accountPartition(stack.table, 'acme');
    const changes = audits
      .filter((audit) => audit.sourceId === String(id) && audit.event === 'api_token.description_changed')
      .sort((a, b) => a.auditId - b.auditId)
      .map((audit) => /^Description changed from (.*) to (.*)$/.exec(audit.changeDescription)!.slice(1).map((text) => JSON.parse(text) as string));
    // One entry per edit, and they chain: each edit started from the value the previous one left.
    expect(changes).toHaveLength(descriptions.length);
    expect(changes[0]![0]).toBe('race');
    for (let i = 1; i < changes.length; i += 1) expect(changes[i]![0]).toBe(changes[i - 1]![1]);
    expect(new Set(changes.map(([, to]) => to))).toEqual(new Set(descriptions));
    const final = await request<TokenBody>(stack, 'GET', tokenPath(id), auth());
    expect(final.json.api_token.description).toBe(changes[changes.length - 1]![1]);
  }
});
