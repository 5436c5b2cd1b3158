// GET /api/v2/users/{id} through the emulator: the `url` of every user resolves. Admins read any user of
// their account, everyone else only themselves; unknown ids and other accounts' ids are 404; the shape is
// exactly that of /users/me; the lookup reads two items by key (the id pointer, then the user), never a
// query or a scan, and the pointer lives and dies with the user in the same transaction.
import { getServices } from '../../shared/runtime/services';
import { userIdKey } from '../../shared/store/keys';
import { accountPartition } from '../support/tables';
import { addUser, OPERATOR, provisionAccount, request, startApiStack, type ApiStack, type ProvisionedAccount } from '../support/api-stack';

interface UserJson {
  id: number;
  url: string;
  email: string;
  role: string;
}
type UserBody = { user: UserJson };
type ErrorBody = { error: string; description: string };

let stack: ApiStack;
let acme: ProvisionedAccount;
let other: ProvisionedAccount;
let agentId: number;
let endUserId: number;
const dynamoCalls: string[] = [];

beforeAll(async () => {
  stack = await startApiStack();
  acme = await provisionAccount(stack, 'acme');
  other = await provisionAccount(stack, 'other');
  agentId = (await addUser(stack, 'acme', 'agent@acme.test', 'agent')).userId;
  endUserId = (await addUser(stack, 'acme', 'enduser@acme.test', 'end_user')).userId;
  getServices().documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      dynamoCalls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countUserCalls' },
  );
});

afterAll(() => stack.close());

const as = (email: string) => ({ auth: { email, token: acme.token } });
const showUser = (id: number | string, email = acme.admin.email) => request<UserBody & ErrorBody>(stack, 'GET', `/api/v2/users/${id}.json`, as(email));

test('an admin reads any user of the account, in exactly the shape /users/me gives that user', async () => {
  for (const email of [acme.admin.email, 'agent@acme.test', 'enduser@acme.test']) {
    const me = await request<UserBody>(stack, 'GET', '/api/v2/users/me.json', as(email));
    const shown = await showUser(me.json.user.id);
    expect(shown.status).toBe(200);
    expect(shown.json).toEqual(me.json);
    expect(shown.json.user.url).toBe(`${stack.baseUrl}/api/v2/users/${me.json.user.id}.json`);
  }
});

test('the url of /users/me resolves, with and without .json', async () => {
  const me = await request<UserBody>(stack, 'GET', '/api/v2/users/me', as('agent@acme.test'));
  const path = me.json.user.url.slice(stack.baseUrl.length);
  expect((await request(stack, 'GET', path, as(acme.admin.email))).status).toBe(200);
  expect((await request(stack, 'GET', path.replace(/\.json$/, ''), as(acme.admin.email))).status).toBe(200);
});

test.each([
  ['an agent', 'agent@acme.test'],
  ['an end user', 'enduser@acme.test'],
])('%s reads themselves, and gets 403 Forbidden for anyone else', async (_name, email) => {
  const self = email.startsWith('agent') ? agentId : endUserId;
  const own = await showUser(self, email);
  expect([own.status, own.json.user?.email]).toEqual([200, email]);
  for (const id of [acme.admin.userId, email.startsWith('agent') ? endUserId : agentId, 123456789]) {
    const refused = await showUser(id, email);
    expect([id, refused.status, refused.json.error]).toEqual([id, 403, 'Forbidden']);
  }
});

test("unknown ids, another account's user ids and segments that are not ids are 404 RecordNotFound", async () => {
  for (const id of [123456789, other.admin.userId, acme.token.split('_')[2]!, 'abc', '-1', '0', '9007199254740993', '1e3']) {
    const response = await showUser(id);
    expect([id, response.status, response.json.error]).toEqual([id, 404, 'RecordNotFound']);
  }
});

test('a removed user is 404, and the id pointer goes with the user', async () => {
  const user = await addUser(stack, 'acme', 'leaving@acme.test', 'agent');
  expect((await showUser(user.userId)).status).toBe(200);
  const pointerSk = userIdKey('acme', user.userId).SK;
  expect((await accountPartition(stack.table, 'acme')).items.some((item) => item.SK === pointerSk)).toBe(true);
  await stack.accounts.removeUser(OPERATOR, 'acme', 'leaving@acme.test');
  expect((await showUser(user.userId)).status).toBe(404);
  expect((await accountPartition(stack.table, 'acme')).items.some((item) => item.SK === pointerSk)).toBe(false);
});

test('the lookup reads by key: GetItem only, no Query and no Scan', async () => {
  dynamoCalls.length = 0;
  expect((await showUser(agentId)).status).toBe(200);
  expect(dynamoCalls.length).toBeGreaterThan(0);
  expect(dynamoCalls.filter((name) => !/^Get(Item)?Command$/.test(name))).toEqual([]);
});
