// The token policies in the console, in Chromium against the local stack: Add API token with an expiry,
// an assigned user, a role ceiling and an IP allow-list (the API then reports them, the detail view and
// the list show them); the API's 422 for a malformed block at the Allowed IP addresses field; Edit
// changes the role ceiling and clears the allow-list (the expiry is shown, not editable); an expired
// token reads "Expired"; the account's maximum lifetime in the Expires hint; axe on the Add dialog with
// the new fields, at desktop width and at 360 px.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { OPERATOR, provisionAccount, request, tokenIdOf, tokenPath, type ProvisionedAccount } from '../support/api-stack';
import {
  NARROW,
  accessibleDescription,
  eventually,
  expectAccessibleInBothSchemes,
  expectHidden,
  expectPageText,
  expectVisible,
  hasFocus,
  horizontalOverflow,
  pressUntilFocused,
} from '../support/browser';
import { addTokenButton, cellOf, chooseOption, openDialog, shownToken, signIn, tokenRow } from '../support/console-flows';
import { consoleSuite } from '../support/console-suite';
import type { PageNode } from '../../scripts/page-globals';
import type { ApiTokenJson } from '../../shared/http/presenters';
import { tokenKey } from '../../shared/store/keys';
import type { Locator, Page } from 'playwright-core';

type TokenBody = { api_token: ApiTokenJson & { token?: string } };
type ErrorBody = { error: string; details?: Record<string, { error: string; description: string }[]> };

const suite = consoleSuite();

const getToken = async (owner: ProvisionedAccount, id: number) => {
  const response = await request<TokenBody>(suite.stack, 'GET', tokenPath(id), { auth: owner.adminAuth });
  expect(response.status).toBe(200);
  return response.json.api_token;
};

/** The detail view's terms and their definitions, as a reader sees them. */
function detailsOf(page: Page): Promise<Record<string, string>> {
  return page
    .getByRole('main')
    .locator('dl')
    .evaluate((list: PageNode) => {
      const text = (node: PageNode | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
      const definitions = [...list.querySelectorAll('dd')];
      return Object.fromEntries([...list.querySelectorAll('dt')].map((term, index) => [text(term), text(definitions[index])]));
    });
}

const field = (dialog: Locator, label: string) => dialog.getByLabel(label, { exact: true });

test('Add API token with all four policies: the API reports them, the list and the detail view show them', async () => {
  const owner = await provisionAccount(suite.stack, 'policyadd');
  const bound = await suite.stack.accounts.addUser(OPERATOR, { accountId: owner.accountId, email: 'lin@policyadd.test', name: 'Lin Agent', role: 'agent', verified: true });
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, owner.adminAuth);

  await addTokenButton(page).click();
  const dialog = openDialog(page);
  await expectVisible(dialog);
  await field(dialog, 'Description').fill('Bound integration');
  // The page runs in UTC: the local time typed is the UTC time sent.
  await field(dialog, 'Expires').fill('2099-06-01T12:30');
  await field(dialog, 'Assigned user').fill(String(bound.userId));
  await field(dialog, 'Role ceiling').selectOption({ label: 'Agent' });
  await field(dialog, 'Allowed IP addresses').fill('127.0.0.1\n2001:DB8::/32\n');
  expect(await accessibleDescription(field(dialog, 'Assigned user'))).toMatch(/user ID/);
  expect(await accessibleDescription(field(dialog, 'Expires'))).toMatch(/never expires/);
  expect(await accessibleDescription(field(dialog, 'Allowed IP addresses'))).toMatch(/per line/);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectVisible(dialog.getByRole('button', { name: 'Copy', exact: true }));
  const id = tokenIdOf(await shownToken(dialog));
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));

  const reported = await getToken(owner, id);
  expect(reported).toMatchObject({
    description: 'Bound integration',
    expires_at: '2099-06-01T12:30:00Z',
    assigned_user_id: bound.userId,
    max_role: 'agent',
    allowed_ips: ['127.0.0.1/32', '2001:db8::/32'],
  });

  await expectVisible(tokenRow(page, 'Bound integration'));
  expect(await cellOf(page, 'Bound integration', 'Expires')).toMatch(/2099/);
  expect(await cellOf(page, 'Bound integration', 'Status')).toBe('Active');

  await tokenRow(page, 'Bound integration').getByRole('link', { name: 'Bound integration' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Bound integration', exact: true }));
  await eventually(async () => {
    const details = await detailsOf(page);
    expect(details).toMatchObject({
      Status: 'Active',
      'Role ceiling': 'Agent',
      'Allowed IP addresses': '127.0.0.1/322001:db8::/32',
    });
    expect(details.Expires).toMatch(/Jun 1, 2099/);
    expect(details['Assigned user']).toContain('lin@policyadd.test');
    expect(details['Assigned user']).toContain(`user ID ${bound.userId}`);
  });
  await expectVisible(page.getByRole('main').getByRole('listitem').filter({ hasText: '2001:db8::/32' }));
});

test('a malformed block: the API\'s 422 at the Allowed IP addresses field, which gets focus; a user ID that is not a number is caught at its field', async () => {
  const owner = await provisionAccount(suite.stack, 'policybad');
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, owner.adminAuth);

  // What the API says of this block, asked from outside the browser.
  const direct = await request<ErrorBody>(suite.stack, 'POST', '/api/v2/api_tokens.json', { auth: owner.adminAuth, body: { api_token: { allowed_ips: ['10.0.0.1/8'] } } });
  expect([direct.status, Object.keys(direct.json.details ?? {})]).toEqual([422, ['allowed_ips']]);
  const message = direct.json.details!.allowed_ips![0]!.description;

  await addTokenButton(page).click();
  const dialog = openDialog(page);
  await expectVisible(dialog);
  const ips = field(dialog, 'Allowed IP addresses');
  await ips.fill('10.0.0.1/8');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await eventually(async () => expect(await ips.getAttribute('aria-invalid')).toBe('true'));
  expect(await accessibleDescription(ips)).toContain(message);
  await eventually(async () => expect(await hasFocus(ips)).toBe(true));
  expect(await field(dialog, 'Description').getAttribute('aria-invalid')).toBe(null);
  // Nothing was made: still only the account's own token.
  await expectVisible(dialog.getByRole('button', { name: 'Cancel', exact: true }));
  expect(await dialog.getByRole('button', { name: 'Copy', exact: true }).count()).toBe(0);

  await ips.fill('');
  const user = field(dialog, 'Assigned user');
  await user.fill('lin');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await eventually(async () => expect(await user.getAttribute('aria-invalid')).toBe('true'));
  expect(await accessibleDescription(user)).toMatch(/whole number/);
  expect(await ips.getAttribute('aria-invalid')).toBe(null);
  await eventually(async () => expect(await hasFocus(user)).toBe(true));

  // An assigned user the account does not have: the API's 422 at that field.
  await user.fill('987654321');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await eventually(async () => {
    expect(await user.getAttribute('aria-invalid')).toBe('true');
    expect(await accessibleDescription(user)).not.toMatch(/whole number/);
  });
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));
  const list = await request<{ api_tokens: unknown[] }>(suite.stack, 'GET', '/api/v2/api_tokens.json', { auth: owner.adminAuth });
  expect(list.json.api_tokens).toHaveLength(1);
});

test('Edit changes the role ceiling and clears the allow-list; the expiry is shown, not editable', async () => {
  const owner = await provisionAccount(suite.stack, 'policyedit');
  const created = await request<TokenBody>(suite.stack, 'POST', '/api/v2/api_tokens.json', {
    auth: owner.adminAuth,
    body: { api_token: { description: 'Reporting job', max_role: 'admin', allowed_ips: ['192.0.2.0/24'], expires_at: '2098-01-02T03:04:05Z' } },
  });
  expect(created.status).toBe(201);
  const id = created.json.api_token.id;
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, owner.adminAuth);
  await expectVisible(tokenRow(page, 'Reporting job'));

  const dialog = await chooseOption(page, 'Reporting job', 'Edit');
  expect(await field(dialog, 'Role ceiling').inputValue()).toBe('admin');
  expect(await field(dialog, 'Allowed IP addresses').inputValue()).toBe('192.0.2.0/24');
  expect(await field(dialog, 'Description').inputValue()).toBe('Reporting job');
  expect(await dialog.getByLabel('Expires').count()).toBe(0);
  expect(await dialog.innerText()).toMatch(/Expires\s+Jan 2, 2098/);

  // By keyboard: to the select, then the textarea.
  await pressUntilFocused(page, 'Tab', field(dialog, 'Role ceiling'));
  await field(dialog, 'Role ceiling').selectOption({ label: 'End user' });
  await field(dialog, 'Allowed IP addresses').fill('');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectPageText(page, 'Reporting job saved.');

  const edited = await getToken(owner, id);
  expect(edited.max_role).toBe('end_user');
  expect(edited).not.toHaveProperty('allowed_ips');
  expect(edited.description).toBe('Reporting job');
  expect(edited.expires_at).toBe('2098-01-02T03:04:05Z');

  await tokenRow(page, 'Reporting job').getByRole('link', { name: 'Reporting job' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Reporting job', exact: true }));
  expect(await detailsOf(page)).toMatchObject({ 'Role ceiling': 'End user', 'Allowed IP addresses': 'Any', 'Assigned user': 'None' });

  // Taking the ceiling off again, from the detail view.
  const again = await chooseOption(page, 'Reporting job', 'Edit');
  await field(again, 'Role ceiling').selectOption({ label: 'None' });
  await again.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));
  await eventually(async () => expect((await detailsOf(page))['Role ceiling']).toBe('None'));
  expect(await getToken(owner, id)).not.toHaveProperty('max_role');
});

test('an expired token reads "Expired" in the list and the detail view; one without an expiry "Never"', async () => {
  const owner = await provisionAccount(suite.stack, 'policyexpired');
  const created = await request<TokenBody>(suite.stack, 'POST', '/api/v2/api_tokens.json', {
    auth: owner.adminAuth,
    body: { api_token: { description: 'Old export', expires_at: new Date(Date.now() + 86_400_000).toISOString() } },
  });
  // Time passing, as the stored value only.
  await suite.stack.table.documentClient.send(
    new UpdateCommand({
      TableName: suite.stack.table.tableName,
      Key: tokenKey(owner.accountId, created.json.api_token.id),
      UpdateExpression: 'SET policy.expiresAt = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
    }),
  );
  const never = await request<TokenBody>(suite.stack, 'POST', '/api/v2/api_tokens.json', { auth: owner.adminAuth, body: { api_token: { description: 'Forever' } } });
  expect(never.status).toBe(201);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, owner.adminAuth);
  await expectVisible(tokenRow(page, 'Old export'));
  expect(await cellOf(page, 'Old export', 'Status')).toBe('Expired');
  expect(await cellOf(page, 'Forever', 'Status')).toBe('Active');
  expect(await cellOf(page, 'Forever', 'Expires')).toBe('Never');

  const status = page.getByRole('combobox', { name: 'Status' });
  await status.selectOption({ label: 'Expired' });
  await eventually(async () => expect(await tokenRow(page, 'Forever').count()).toBe(0));
  await expectVisible(tokenRow(page, 'Old export'));
  await status.selectOption({ label: 'Active' });
  await eventually(async () => expect(await tokenRow(page, 'Old export').count()).toBe(0));
  await status.selectOption({ label: 'All' });

  await tokenRow(page, 'Old export').getByRole('link', { name: 'Old export' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Old export', exact: true }));
  expect((await detailsOf(page)).Status).toBe('Expired');
});

test('the Add dialog with its new fields: axe finds nothing serious in either scheme; the account\'s maximum lifetime in the Expires hint; 360 px', async () => {
  const owner = await provisionAccount(suite.stack, 'policyaxe');
  const limited = await request(suite.stack, 'PUT', '/api/v2/account/settings.json', { auth: owner.adminAuth, body: { settings: { api: { api_token_max_lifetime_days: 30 } } } });
  expect(limited.status).toBe(200);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, owner.adminAuth);
  await addTokenButton(page).click();
  const dialog = openDialog(page);
  await expectVisible(dialog);
  await eventually(async () => expect(await accessibleDescription(field(dialog, 'Expires'))).toMatch(/at most 30 days/));
  for (const label of ['Description', 'Expires', 'Assigned user', 'Role ceiling', 'Allowed IP addresses']) await expectVisible(field(dialog, label));
  expect(await field(dialog, 'Role ceiling').evaluate((select: PageNode) => Array.from(select.options).map((option) => option.label))).toEqual([
    'None',
    'Admin',
    'Agent',
    'End user',
  ]);
  await expectAccessibleInBothSchemes(page, 'Add API token with policies');

  // With errors at the fields too.
  await field(dialog, 'Allowed IP addresses').fill('not an address');
  await field(dialog, 'Assigned user').fill('x');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await eventually(async () => expect(await field(dialog, 'Assigned user').getAttribute('aria-invalid')).toBe('true'));
  await expectAccessibleInBothSchemes(page, 'Add API token with field errors');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));

  const narrow = await suite.open({ viewport: NARROW });
  await signIn(narrow.page, suite.stack.consoleUrl, owner.adminAuth);
  await addTokenButton(narrow.page).click();
  await expectVisible(openDialog(narrow.page));
  expect(await horizontalOverflow(narrow.page)).toBe(0);
  const narrowDialog = openDialog(narrow.page);
  for (const label of ['Description', 'Expires', 'Assigned user', 'Role ceiling', 'Allowed IP addresses']) {
    const box = await field(narrowDialog, label).boundingBox();
    expect({ label, left: box!.x >= 0, right: box!.x + box!.width <= NARROW.width }).toEqual({ label, left: true, right: true });
  }
  await expectAccessibleInBothSchemes(narrow.page, 'Add API token at 360 px');
});
