// The inactivity policy's two settings through the local stack: shown once set, each change its own audit
// entry in readable words, null turns a setting off, a value that already holds writes nothing, and a value
// out of range or not a whole number is a 422 naming the setting (a value of another type a 400).
import { request, type ProvisionedAccount } from '../support/api-stack';
import { tokenPolicySuite, type ErrorBody } from '../support/token-policy-suite';

type SettingsBody = { settings: { api: Record<string, unknown> } };
type AuditBody = { audit_logs: { event: string; change_description: string; source_label: string; actor_name: string }[] };

const suite = tokenPolicySuite('inactivity');
const { account } = suite;

const settings = (owner: ProvisionedAccount, api: Record<string, unknown>) =>
  request<SettingsBody & ErrorBody>(suite.stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api } } });

async function settingEntries(owner: ProvisionedAccount) {
  const response = await request<AuditBody>(suite.stack, 'GET', '/api/v2/audit_logs.json?filter[source_type]=account_settings&sort=created_at', { auth: owner.adminAuth });
  expect(response.status).toBe(200);
  return response.json.audit_logs.map((entry) => [entry.event, entry.source_label, entry.change_description]);
}

test('are off by default, shown once set, turned off with null, and each change is audited', async () => {
  const owner = await account();
  expect((await request(suite.stack, 'GET', '/api/v2/account/settings.json', { auth: owner.adminAuth })).json).toEqual({ settings: { api: { api_token_access: true } } });
  const set = await settings(owner, { api_token_inactivity_days: 30, api_token_deactivated_retention_days: 1 });
  expect([set.status, set.json]).toEqual([200, { settings: { api: { api_token_access: true, api_token_inactivity_days: 30, api_token_deactivated_retention_days: 1 } } }]);
  expect((await request(suite.stack, 'GET', '/api/v2/account/settings.json', { auth: owner.adminAuth })).json).toEqual(set.json);
  // Already so: no change, no entry.
  expect((await settings(owner, { api_token_inactivity_days: 30 })).status).toBe(200);
  const off = await settings(owner, { api_token_inactivity_days: null, api_token_deactivated_retention_days: 3650 });
  expect(off.json).toEqual({ settings: { api: { api_token_access: true, api_token_deactivated_retention_days: 3650 } } });
  expect(await settingEntries(owner)).toEqual([
    ['account.api_token_inactivity_changed', 'API token inactivity limit', 'API token inactivity limit changed from off to 30 days'],
    ['account.api_token_deactivated_retention_changed', 'Deactivated API token retention', 'Deactivated API token retention changed from off to 1 day'],
    ['account.api_token_inactivity_changed', 'API token inactivity limit', 'API token inactivity limit changed from 30 days to off'],
    ['account.api_token_deactivated_retention_changed', 'Deactivated API token retention', 'Deactivated API token retention changed from 1 day to 3650 days'],
  ]);
});

const SETTINGS = ['api_token_inactivity_days', 'api_token_deactivated_retention_days'];

test.each(SETTINGS.flatMap((setting) => [0, -1, 3651, 1.5].map((days) => [setting, days] as const)))('%s %p: 422 naming it', async (setting, days) => {
  const owner = await account();
  const response = await settings(owner, { [setting]: days });
  expect([response.status, Object.keys(response.json.details ?? {})]).toEqual([422, [setting]]);
  expect(response.json.details?.[setting]?.[0]?.description).toMatch(/whole number of days from 1 to 3650, or null for off/);
});

test('both wrong: one 422 naming both; a value of another type: 400', async () => {
  const owner = await account();
  const both = await settings(owner, { api_token_inactivity_days: 0, api_token_deactivated_retention_days: 4000 });
  expect([both.status, Object.keys(both.json.details ?? {}).sort()]).toEqual([422, [...SETTINGS].sort()]);
  for (const value of ['30', true]) {
    const response = await settings(owner, { api_token_inactivity_days: value });
    expect([response.status, response.json.error]).toEqual([400, 'BadRequest']);
  }
  expect(await settingEntries(owner)).toEqual([]);
});
