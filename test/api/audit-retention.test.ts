// Audit retention: with AUDIT_RETENTION_DAYS set, entries older than that many days, or past their TTL,
// are never returned, even while DynamoDB has not removed them yet.
import { firstIdAt } from '../../shared/domain/ids';
import type { AuditEntry } from '../../shared/domain/model';
import { provisionAccount, request, startApiStack, type ApiStack, type ProvisionedAccount } from '../support/api-stack';
import { historicEntry, writeAuditHistory } from '../support/audit-history';

const RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

let stack: ApiStack;
let acme: ProvisionedAccount;

beforeAll(async () => {
  // Read when the handlers first build their services, i.e. at the first request below.
  process.env.AUDIT_RETENTION_DAYS = String(RETENTION_DAYS);
  stack = await startApiStack();
  acme = await provisionAccount(stack, 'acme');
});

afterAll(async () => {
  delete process.env.AUDIT_RETENTION_DAYS;
  await stack.close();
});

/** An entry written straight to the table (every index key included), as if DynamoDB had not removed it yet. */
async function writeEntry(createdAtMs: number, overrides: Partial<AuditEntry> = {}): Promise<number> {
  const entry = historicEntry('acme', createdAtMs, {
    auditId: firstIdAt(createdAtMs) + 7,
    sourceId: '42',
    sourceLabel: 'old',
    changeDescription: 'Description changed from "x" to "y"',
    userAgent: null,
    ...overrides,
  });
  await writeAuditHistory(stack.table, [entry]);
  return entry.auditId;
}

test('an entry older than the retention, or past its TTL, is not listed, filtered or shown', async () => {
  const now = Date.now();
  const old = await writeEntry(now - (RETENTION_DAYS + 1) * DAY_MS);
  const expired = await writeEntry(now - DAY_MS, { expiresAt: Math.floor(now / 1000) - 60 });
  const recent = await writeEntry(now - (RETENTION_DAYS - 1) * DAY_MS);

  const listed = await request<{ audit_logs: { id: number }[] }>(stack, 'GET', '/api/v2/audit_logs.json', { auth: acme.adminAuth });
  const ids = listed.json.audit_logs.map((entry) => entry.id);
  expect(ids).toContain(recent);
  expect(ids).not.toContain(old);
  expect(ids).not.toContain(expired);

  const bySource = await request<{ audit_logs: { id: number }[] }>(stack, 'GET', '/api/v2/audit_logs.json?filter[source_type]=api_token&filter[source_id]=42', {
    auth: acme.adminAuth,
  });
  expect(bySource.json.audit_logs.map((entry) => entry.id)).toEqual([recent]);

  for (const id of [old, expired]) {
    expect((await request(stack, 'GET', `/api/v2/audit_logs/${id}.json`, { auth: acme.adminAuth })).status).toBe(404);
  }
  expect((await request(stack, 'GET', `/api/v2/audit_logs/${recent}.json`, { auth: acme.adminAuth })).status).toBe(200);
});

test('new entries carry a TTL of the retention period', async () => {
  const before = Math.floor(Date.now() / 1000);
  const created = await request<{ api_token: { id: number } }>(stack, 'POST', '/api/v2/api_tokens.json', { auth: acme.adminAuth });
  const entry = (await stack.table.store.listAuditEntries('acme', { page: { size: 1, order: 'desc' }, source: { type: 'api_token', id: String(created.json.api_token.id) }, now: before })).items[0]!;
  expect(entry.expiresAt).toBeGreaterThanOrEqual(before + RETENTION_DAYS * 86_400);
  expect(entry.expiresAt).toBeLessThanOrEqual(before + RETENTION_DAYS * 86_400 + 60);
});
