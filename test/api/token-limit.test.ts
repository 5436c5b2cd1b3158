// The token limit under concurrency, through the emulator: 300 creates on a fresh account (299 of them
// simultaneous) give exactly 256 tokens and 44 × 422 TokenLimitReached; the count matches the items; audit entries
// match the successful changes only; deleting one token frees exactly one slot.
import { provisionAccount, request, startApiStack, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { accountPartition } from '../support/tables';

type ErrorBody = { error: string; details?: { base?: { error: string }[] } };

let stack: ApiStack;
let fresh: ProvisionedAccount;

beforeAll(async () => {
  stack = await startApiStack();
  // A fresh account whose only token is the admin's, needed to call the API: it takes the first slot.
  fresh = await provisionAccount(stack, 'fresh');
});

afterAll(() => stack.close());


test('300 creates (the admin token, then 299 at once): exactly 256 tokens, 44 × TokenLimitReached, nothing else', async () => {
  const auth = fresh.adminAuth;
  const auditsBefore = (await accountPartition(stack.table, 'fresh')).audits.length;

  const responses = await Promise.all(
    Array.from({ length: 299 }, (_, i) => request<ErrorBody>(stack, 'POST', '/api/v2/api_tokens.json', { auth, body: { api_token: { description: `t${i}` } } })),
  );
  const statuses = responses.map((response) => response.status);
  expect(statuses.filter((status) => status === 201)).toHaveLength(255);
  const refused = responses.filter((response) => response.status === 422);
  expect(refused).toHaveLength(44);
  for (const response of refused) expect(response.json).toMatchObject({ error: 'RecordInvalid', details: { base: [{ error: 'TokenLimitReached' }] } });

  const list = await request<{ meta: { token_count: number } }>(stack, 'GET', '/api/v2/api_tokens.json', { auth });
  const { tokens, audits } = await accountPartition(stack.table, 'fresh');
  expect(list.json.meta.token_count).toBe(256);
  expect(tokens).toHaveLength(256);
  // One audit entry per successful create; the 44 refused creates wrote none.
  expect(audits.length - auditsBefore).toBe(255);

  // Freeing one slot allows exactly one more create.
  const victim = (responses.find((response) => response.status === 201)!.json as unknown as { api_token: { id: number } }).api_token.id;
  await request(stack, 'PUT', `/api/v2/api_tokens/${victim}.json`, { auth, body: { api_token: { active: false } } });
  expect((await request(stack, 'DELETE', `/api/v2/api_tokens/${victim}.json`, { auth })).status).toBe(204);
  expect((await request(stack, 'POST', '/api/v2/api_tokens.json', { auth })).status).toBe(201);
  expect((await request(stack, 'POST', '/api/v2/api_tokens.json', { auth })).status).toBe(422);
  expect((await accountPartition(stack.table, 'fresh')).tokens).toHaveLength(256);
}, 120_000);
