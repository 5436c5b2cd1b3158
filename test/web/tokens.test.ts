// The API tokens page in Chromium against the local stack: the list and its count against the limit, a
// token's detail view, Add API token (the full token shown exactly once), Edit (the API's validation
// errors at the field), Deactivate and Reactivate (the API refuses a deactivated token at once), Delete
// (only once deactivated; it frees a slot at the limit), sorting and filtering.
import { OPERATOR, addUser, basicAuth, provisionAccount, tokenIdOf, type Credentials } from '../support/api-stack';
import {
  accessibleDescription,
  eventually,
  expectEnabled,
  expectHidden,
  expectPageText,
  expectVisible,
  fullTokensIn,
  pageStorage,
} from '../support/browser';
import {
  addToken,
  addTokenButton,
  cellOf,
  chooseOption,
  columnTexts,
  countText,
  expectStatus,
  menuItem,
  openDialog,
  openMenu,
  openOptions,
  selectOptionMatching,
  shownToken,
  signIn,
  tokenRow,
  tokensTable,
} from '../support/console-flows';
import { consoleSuite } from '../support/console-suite';
import type { PageGlobals } from '../../scripts/page-globals';
import { seedTokens, tokenSeeds } from '../support/console-stack';

const suite = consoleSuite();
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

/** What the API answers a call made with `credentials`, from outside the browser. */
async function apiStatus(credentials: Credentials, path = '/api/v2/users/me.json'): Promise<number> {
  const response = await fetch(`${suite.stack.baseUrl}${path}`, { headers: { Authorization: basicAuth(credentials.email, credentials.token) } });
  await response.arrayBuffer();
  return response.status;
}

test('the list: its columns, "Never" for an unused token, the count against the limit; a token opens its detail view', async () => {
  const acme = await provisionAccount(suite.stack, 'tokenlist');
  const grace = await suite.stack.accounts.addUser(OPERATOR, { accountId: 'tokenlist', email: 'grace@tokenlist.test', name: 'Grace Hopper', role: 'admin', verified: true });
  const [nightly, retired, used] = await seedTokens(suite.stack, acme.accountId, [
    { description: 'Nightly export', createdBy: grace.userId, createdAt: daysAgo(3) },
    { description: 'Retired integration', active: false, createdAt: daysAgo(40), lastUsedAt: daysAgo(35) },
    { description: 'Helpdesk widget', createdAt: daysAgo(20), lastUsedAt: daysAgo(2) },
  ]);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);

  for (const column of ['Description', 'Token', 'Status', 'Created', 'Last used']) {
    await expectVisible(tokensTable(page).getByRole('columnheader', { name: column }));
  }
  await expectPageText(page, countText(4, 256));
  await expectVisible(tokenRow(page, 'Nightly export'));
  expect(await cellOf(page, 'Nightly export', 'Token')).toBe(nightly!.apiToken.visibleToken);
  expect(await cellOf(page, 'Nightly export', 'Status')).toBe('Active');
  expect(await cellOf(page, 'Nightly export', 'Last used')).toBe('Never');
  expect(await cellOf(page, 'Retired integration', 'Status')).toBe('Deactivated');
  expect(await cellOf(page, 'Helpdesk widget', 'Last used')).not.toBe('Never');
  expect(await cellOf(page, 'Helpdesk widget', 'Token')).toBe(used!.apiToken.visibleToken);
  expect(await cellOf(page, 'Retired integration', 'Token')).toBe(retired!.apiToken.visibleToken);

  // The detail view: truncated token, description, status, created, last used, creator.
  await tokenRow(page, 'Nightly export').getByText('Nightly export', { exact: true }).click();
  // The creator is named only there; the view may be a page of its own or a dialog over the list.
  await expectPageText(page, /Grace Hopper|grace@tokenlist\.test/);
  const detail = (await openDialog(page).count()) > 0 ? openDialog(page) : page.getByRole('main');
  const text = await detail.innerText();
  for (const shown of [nightly!.apiToken.visibleToken, 'Nightly export', 'Active', 'Created', 'Last used', 'Never']) expect(text).toContain(shown);
  expect(fullTokensIn(await page.content())).toEqual([]);
});

test('Add API token: the token is shown once, with Copy and the warning; after the second Save it is nowhere in the page, its storage or its history', async () => {
  const acme = await provisionAccount(suite.stack, 'addtoken');
  const opened = await suite.open();
  const { page } = opened;
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await expectPageText(page, countText(1, 256));

  await addTokenButton(page).click();
  const dialog = openDialog(page);
  await expectVisible(dialog);
  const description = dialog.getByLabel('Description', { exact: true });
  expect(await description.inputValue()).toBe('');
  await description.fill('CI deploys');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();

  const copy = dialog.getByRole('button', { name: 'Copy', exact: true });
  await expectVisible(copy);
  expect(await dialog.innerText()).toContain('When you click Save to close this window, the full token will never be displayed again.');
  const token = await shownToken(dialog);
  expect(tokenIdOf(token)).toBeGreaterThan(0);
  await copy.click();
  await eventually(async () => expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText())).toBe(token));

  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectVisible(tokenRow(page, 'CI deploys'));
  await expectPageText(page, countText(2, 256));
  const visible = await cellOf(page, 'CI deploys', 'Token');
  expect(token.startsWith(visible!.replace(/\.\.\.$/, ''))).toBe(true);
  expect(visible).not.toBe(token);

  // Nowhere after that: the HTML, the form fields, both storages, the history and its entries, the URL.
  const kept = await pageStorage(opened);
  const places: Record<string, string> = {
    html: await page.content(),
    formValues: kept.formValues.join('\n'),
    sessionStorage: kept.sessionStorage,
    localStorage: kept.localStorage,
    historyState: kept.historyState,
    historyEntries: kept.historyEntries.join('\n'),
    url: kept.url,
    cookies: kept.cookies,
  };
  const others = Object.fromEntries(
    Object.entries(places).map(([place, text]) => [place, fullTokensIn(decodeURIComponent(text)).filter((found) => found !== acme.token)]),
  );
  expect(others).toEqual(Object.fromEntries(Object.keys(places).map((place) => [place, []])));
  expect(places.html).not.toContain(token);

  // The token shown was the real one.
  expect(await apiStatus({ email: acme.adminAuth.email, token })).toBe(200);
});

test('Edit: the new description shows in the list; one the API refuses (422) shows its message at the field', async () => {
  const acme = await provisionAccount(suite.stack, 'edittoken');
  const [seeded] = await seedTokens(suite.stack, acme.accountId, [{ description: 'Old name' }]);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);

  let dialog = await chooseOption(page, 'Old name', 'Edit');
  const field = dialog.getByLabel('Description', { exact: true });
  expect(await field.inputValue()).toBe('Old name');
  await field.fill('Zapier sync');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectVisible(tokenRow(page, 'Zapier sync'));
  expect((await suite.stack.tokens.get(acme.accountId, seeded!.apiToken.tokenId)).description).toBe('Zapier sync');

  // A zero-width space: the browser takes it, the API refuses it with a message for the description field.
  dialog = await chooseOption(page, 'Zapier sync', 'Edit');
  await dialog.getByLabel('Description', { exact: true }).fill('Zap\u200Bier');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const refused = dialog.getByLabel('Description', { exact: true });
  await eventually(async () => expect(await refused.getAttribute('aria-invalid')).toBe('true'));
  expect(await accessibleDescription(refused)).toMatch(/Description cannot contain zero-width characters/);
  expect(await dialog.innerText()).toMatch(/Description cannot contain zero-width characters/);
  await expectVisible(dialog);
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectVisible(tokenRow(page, 'Zapier sync'));
  expect((await suite.stack.tokens.get(acme.accountId, seeded!.apiToken.tokenId)).description).toBe('Zapier sync');
});

test('Deactivate: confirmed in a dialog, the status changes at once and the token\'s next API call is a 401; Reactivate brings it back', async () => {
  const acme = await provisionAccount(suite.stack, 'deactivate');
  const [billing] = await seedTokens(suite.stack, acme.accountId, [{ description: 'Billing export' }]);
  const billingAuth = { email: acme.adminAuth.email, token: billing!.token };
  expect(await apiStatus(billingAuth)).toBe(200);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);

  // Cancel changes nothing.
  let dialog = await chooseOption(page, 'Billing export', 'Deactivate');
  await expectVisible(dialog.getByRole('button', { name: 'Deactivate', exact: true }));
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectStatus(page, 'Billing export', 'Active');
  expect(await apiStatus(billingAuth)).toBe(200);

  dialog = await chooseOption(page, 'Billing export', 'Deactivate');
  await dialog.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectStatus(page, 'Billing export', 'Deactivated');
  expect(await apiStatus(billingAuth)).toBe(401);

  // The menu now offers Reactivate, not Deactivate.
  await openOptions(page, 'Billing export');
  await expectHidden(menuItem(page, 'Deactivate'));
  await menuItem(page, 'Reactivate').click();
  dialog = openDialog(page);
  await expectVisible(dialog.getByRole('button', { name: 'Cancel', exact: true }));
  await dialog.getByRole('button', { name: 'Reactivate', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectStatus(page, 'Billing export', 'Active');
  expect(await apiStatus(billingAuth)).toBe(200);
});

test('at the limit Add API token is disabled and says why; Delete waits for deactivation, and deleting frees the slot ("255 of 256", add works again)', async () => {
  const acme = await provisionAccount(suite.stack, 'atlimit');
  const seeded = await seedTokens(suite.stack, acme.accountId, [
    { description: 'Retired integration', createdAt: daysAgo(400) },
    ...tokenSeeds(254, 'Integration'),
  ]);
  const retired = seeded[0]!;
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);

  await expectPageText(page, countText(256, 256));
  await expectEnabled(addTokenButton(page), false);
  await expectPageText(page, /an existing token must be deleted|delete an existing token/i);

  // Delete is disabled for an active token, with the reason.
  await openOptions(page, 'Retired integration');
  const deleteItem = menuItem(page, /^Delete\b/);
  await expectEnabled(deleteItem, false);
  const reason = `${await openMenu(page).innerText()} ${await accessibleDescription(deleteItem)}`;
  expect(reason).toContain('Deactivate the token before deleting it');
  await page.keyboard.press('Escape');
  await expectHidden(openMenu(page));

  let dialog = await chooseOption(page, 'Retired integration', 'Deactivate');
  await dialog.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await expectStatus(page, 'Retired integration', 'Deactivated');

  // Cancel keeps it; Delete removes it and frees its slot.
  dialog = await chooseOption(page, 'Retired integration', 'Delete');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectVisible(tokenRow(page, 'Retired integration'));
  dialog = await chooseOption(page, 'Retired integration', 'Delete');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectHidden(tokenRow(page, 'Retired integration'));
  await expectPageText(page, countText(255, 256));
  expect(await apiStatus(acme.adminAuth, `/api/v2/api_tokens/${retired.apiToken.tokenId}.json`)).toBe(404);

  await expectEnabled(addTokenButton(page));
  const added = await addToken(page, 'Replacement');
  expect(await apiStatus({ email: acme.adminAuth.email, token: added.token })).toBe(200);
  await expectPageText(page, countText(256, 256));
  await expectEnabled(addTokenButton(page), false);
});

test('sorting by Created and by Last used, both ways; filtering by text and by status', async () => {
  const acme = await provisionAccount(suite.stack, 'sorting');
  await addUser(suite.stack, acme.accountId, 'ops@sorting.test', 'admin');
  // Created order A B C D E; last-used order B C D A (E never used): the two sorts differ.
  await seedTokens(suite.stack, acme.accountId, [
    { description: 'Alpha sync', createdAt: daysAgo(10), lastUsedAt: daysAgo(1) },
    { description: 'Bravo backup', createdAt: daysAgo(8), lastUsedAt: daysAgo(7), active: false },
    { description: 'Charlie chat', createdAt: daysAgo(6), lastUsedAt: daysAgo(5) },
    { description: 'Delta deploy', createdAt: daysAgo(4), lastUsedAt: daysAgo(3), active: false },
    { description: 'Echo export', createdAt: daysAgo(2) },
  ]);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await expectVisible(tokenRow(page, 'Echo export'));
  const seededOnly = async () => (await columnTexts(page, 'Description')).filter((text) => /^(Alpha|Bravo|Charlie|Delta|Echo) /.test(text));
  const createdOrder = ['Alpha sync', 'Bravo backup', 'Charlie chat', 'Delta deploy', 'Echo export'];
  const usedOrder = ['Bravo backup', 'Charlie chat', 'Delta deploy', 'Alpha sync'];

  const sortBy = async (column: 'Created' | 'Last used') => {
    const header = tokensTable(page).getByRole('columnheader', { name: column });
    await header.getByRole('button').click();
    return eventually(async () => {
      const sort = await header.getAttribute('aria-sort');
      expect(['ascending', 'descending']).toContain(sort);
      return sort as 'ascending' | 'descending';
    });
  };
  const inOrder = (order: string[], direction: 'ascending' | 'descending') => (direction === 'ascending' ? order : [...order].reverse());

  for (let click = 0; click < 2; click += 1) {
    const direction = await sortBy('Created');
    await eventually(async () => expect(await seededOnly()).toEqual(inOrder(createdOrder, direction)));
  }
  const seen = new Set<string>();
  for (let click = 0; click < 2; click += 1) {
    const direction = await sortBy('Last used');
    seen.add(direction);
    await eventually(async () => {
      const rows = await seededOnly();
      expect(rows.filter((text) => text !== 'Echo export')).toEqual(inOrder(usedOrder, direction));
      // The never-used token sorts at one end, not among the used ones.
      expect([0, rows.length - 1]).toContain(rows.indexOf('Echo export'));
    });
  }
  expect(seen).toEqual(new Set(['ascending', 'descending']));

  // Filtering by text, then by status, then neither.
  const search = page.getByRole('searchbox').or(page.getByRole('textbox', { name: /filter|search/i })).first();
  await search.fill('deploy');
  await eventually(async () => expect(new Set(await seededOnly())).toEqual(new Set(['Delta deploy'])));
  await search.fill('');
  const status = page.getByRole('combobox', { name: /status/i });
  await selectOptionMatching(status, /^Deactivated$/);
  await eventually(async () => {
    expect(new Set(await seededOnly())).toEqual(new Set(['Bravo backup', 'Delta deploy']));
    expect(new Set(await columnTexts(page, 'Status'))).toEqual(new Set(['Deactivated']));
  });
  await selectOptionMatching(status, /^Active$/);
  await eventually(async () => {
    expect(new Set(await seededOnly())).toEqual(new Set(['Alpha sync', 'Charlie chat', 'Echo export']));
    expect(new Set(await columnTexts(page, 'Status'))).toEqual(new Set(['Active']));
  });
  await selectOptionMatching(status, /^(All|Any)/i);
  await eventually(async () => expect(new Set(await seededOnly())).toEqual(new Set(createdOrder)));
});
