// The token rules against the real engine (DynamoDB Local): limit, delete-only-when-deactivated,
// one audit entry per change in the same transaction, and no plaintext token stored anywhere.
import { operatorContext } from '../../shared/domain/audit-entries';
import { AccountService } from '../../shared/domain/account-service';
import { TokenActiveError, TokenLimitReachedError, ApiTokenAccessDisabledError, NotFoundError } from '../../shared/domain/errors';
import { TokenService } from '../../shared/domain/token-service';
import { accountPartition, createTestTable, scanTable, type TestTable } from '../support/tables';

const operator = operatorContext('jest', '203.0.113.9');
let table: TestTable;
let accounts: AccountService;
let tokens: TokenService;


async function newAccount(accountId: string, legacy = false) {
  await accounts.createAccount(operator, { accountId, name: accountId, plan: 'enterprise', legacy, apiTokenAccess: true });
}

beforeAll(async () => {
  table = await createTestTable();
  accounts = new AccountService(table.store);
  tokens = new TokenService(table.store);
});

test('300 concurrent creates give exactly 256 tokens, 44 limit errors, and a matching count', async () => {
  await newAccount('limit300');
  const context = { ...operator, accountId: 'limit300' };
  const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => tokens.create(context, `t${i}`)));
  const ok = results.filter((result) => result.status === 'fulfilled');
  const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  expect(ok).toHaveLength(256);
  expect(rejected).toHaveLength(44);
  for (const failure of rejected) expect(failure.reason).toBeInstanceOf(TokenLimitReachedError);
  const account = await accounts.getAccount('limit300');
  const { tokens: tokenItems, audits } = await accountPartition(table, 'limit300');
  expect(account.tokenCount).toBe(256);
  expect(tokenItems).toHaveLength(256);
  // One entry for the account's creation, one per created token; the failed creates left none.
  expect(audits.filter((audit) => audit.event === 'api_token.created')).toHaveLength(256);
  expect(audits).toHaveLength(257);

  const first = ok[0] as PromiseFulfilledResult<Awaited<ReturnType<TokenService['create']>>>;
  await expect(tokens.delete(context, first.value.apiToken.tokenId)).rejects.toBeInstanceOf(TokenActiveError);
  await tokens.update(context, first.value.apiToken.tokenId, { active: false });
  await tokens.delete(context, first.value.apiToken.tokenId);
  await expect(tokens.create(context, 'one more')).resolves.toBeDefined();
  await expect(tokens.create(context, 'too many')).rejects.toBeInstanceOf(TokenLimitReachedError);
  expect((await accounts.getAccount('limit300')).tokenCount).toBe(256);
});

test('a legacy account stops at exactly 2048', async () => {
  await newAccount('legacy', true);
  const context = { ...operator, accountId: 'legacy' };
  let created = 0;
  let refused = 0;
  const worker = async () => {
    for (;;) {
      try {
        await tokens.create(context, null);
        created += 1;
      } catch (error) {
        expect(error).toBeInstanceOf(TokenLimitReachedError);
        refused += 1;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  expect(created).toBe(2048);
  expect(refused).toBe(16);
  expect((await accounts.getAccount('legacy')).tokenCount).toBe(2048);
  expect((await accountPartition(table, 'legacy')).tokens).toHaveLength(2048);
}, 240_000);

test('each change writes exactly one audit entry; no-op changes and failed ones write none', async () => {
  await newAccount('audited');
  const context = { ...operator, accountId: 'audited' };
  const { apiToken, token } = await tokens.create(context, 'first');
  await tokens.update(context, apiToken.tokenId, { description: 'second' });
  await tokens.update(context, apiToken.tokenId, { description: 'second' }); // unchanged: no entry
  await tokens.update(context, apiToken.tokenId, { active: false });
  await tokens.update(context, apiToken.tokenId, { active: false }); // already deactivated: no entry
  await tokens.update(context, apiToken.tokenId, { active: true });
  await expect(tokens.delete(context, apiToken.tokenId)).rejects.toBeInstanceOf(TokenActiveError);
  await tokens.update(context, apiToken.tokenId, { active: false, description: null });
  await tokens.delete(context, apiToken.tokenId);
  await expect(tokens.delete(context, apiToken.tokenId)).rejects.toBeInstanceOf(NotFoundError);

  const { audits } = await accountPartition(table, 'audited');
  const tokenAudits = audits.filter((audit) => audit.sourceType === 'api_token').sort((a, b) => a.auditId - b.auditId);
  expect(tokenAudits.map((audit) => [audit.action, audit.event, audit.changeDescription])).toEqual([
    ['create', 'api_token.created', 'Created'],
    ['update', 'api_token.description_changed', 'Description changed from "first" to "second"'],
    ['update', 'api_token.deactivated', 'Deactivated'],
    ['update', 'api_token.reactivated', 'Reactivated'],
    ['update', 'api_token.description_changed', 'Description changed from "second" to none'],
    ['update', 'api_token.deactivated', 'Deactivated'],
    ['destroy', 'api_token.deleted', 'Deleted'],
  ]);
  for (const audit of tokenAudits) {
    expect(audit).toMatchObject({ actorId: -1, actorName: 'Operator', ipAddress: '203.0.113.9', userAgent: 'jest', sourceId: String(apiToken.tokenId) });
  }
  const everything = JSON.stringify(await scanTable(table));
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(token.split('_')[3]!.slice(0, 30));
});

test('creating tokens is refused while API token access is off', async () => {
  await accounts.createAccount(operator, { accountId: 'closed', name: 'Closed', plan: 'team', legacy: false, apiTokenAccess: false });
  await expect(tokens.create({ ...operator, accountId: 'closed' }, null)).rejects.toBeInstanceOf(ApiTokenAccessDisabledError);
  expect((await accounts.getAccount('closed')).tokenCount).toBe(0);
  expect((await accountPartition(table, 'closed')).audits).toHaveLength(1);
});
