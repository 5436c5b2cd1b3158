// The audit log page in Chromium against the local stack: View audit log from a token's options shows
// exactly that token's entries; the filters (action, actor, time range) live in the URL, survive a reload
// and open the same view elsewhere; Newer / Older page through the whole log; an account without an
// Enterprise plan is told the audit log needs one.
import type { Locator, Page } from 'playwright-core';
import { OPERATOR_ACTOR_ID, OPERATOR_ACTOR_NAME, SECRET_SCANNING_ACTOR, TOKEN_SWEEP_ACTOR, type AuditEntry } from '../../shared/domain/model';
import { OPERATOR, provisionAccount, request, type Credentials } from '../support/api-stack';
import { accessibleDescription, eventually, expectAccessibleInBothSchemes, expectEnabled, expectVisible } from '../support/browser';
import {
  auditLogHeading,
  columnTexts,
  goToPage,
  menuItem,
  openMenu,
  openOptions,
  selectOptionMatching,
  signIn,
  signInIfAsked,
} from '../support/console-flows';
import { consoleSuite } from '../support/console-suite';
import type { PageNode } from '../../scripts/page-globals';
import { seedAuditEntries } from '../support/console-stack';

const suite = consoleSuite();
const DAY = 86_400_000;

type TokenJson = { api_token: { id: number; description: string | null } };
type AuditLogsJson = { audit_logs: { id: number; change_description: string }[] };

const auditColumns = ['Time', 'Actor', 'Action', 'Item', 'Change', 'IP address'];

/** A history of `count` entries, one a day at noon UTC ending yesterday, made by two actors in turn. */
function history(accountId: string, count: number, actors: { id: number; name: string }[]): Omit<AuditEntry, 'auditId'>[] {
  const lastNoon = Math.floor(Date.now() / DAY) * DAY - DAY / 2;
  const actions = ['create', 'update', 'destroy'] as const;
  return Array.from({ length: count }, (_, index) => {
    const actor = actors[index % actors.length]!;
    const action = actions[index % actions.length]!;
    const number = String(index + 1).padStart(4, '0');
    return {
      accountId,
      action,
      event: `api_token.${action === 'create' ? 'created' : action === 'update' ? 'description_changed' : 'deleted'}`,
      actorId: actor.id,
      actorName: actor.name,
      actorApiTokenId: null,
      sourceType: 'api_token',
      sourceId: String(9_000_000 + index),
      sourceLabel: `Token ${number}`,
      changeDescription: `Change ${number}`,
      ipAddress: `203.0.113.${(index % 200) + 1}`,
      userAgent: 'seed',
      // Oldest first: entry `count` is yesterday's.
      createdAt: new Date(lastNoon - (count - 1 - index) * DAY).toISOString(),
    };
  });
}

/** Changes of the seeded history the page shows (the account's own provisioning entries left out). */
const seededChanges = async (page: Page) => (await columnTexts(page, 'Change')).filter((text) => /^Change \d{4}$/.test(text));

/** Applies the audit log's filters when the page asks for it (an Apply button); otherwise they apply as set. */
async function applyFilters(page: Page): Promise<void> {
  const apply = page.getByRole('button', { name: /^(Apply|Filter|Search|Show)\b/i });
  if ((await apply.count()) > 0) await apply.first().click();
}

/** Fills a date or date-and-time field with the day (YYYY-MM-DD) whatever its type. */
async function fillDay(field: Locator, day: string): Promise<void> {
  const type = await field.getAttribute('type');
  await field.fill(type === 'datetime-local' ? `${day}T00:00` : day);
}

test('View audit log, from a token\'s options: the audit log filtered to that token, pre-filled, with exactly its entries, newest first', async () => {
  const acme = await provisionAccount(suite.stack, 'auditview');
  const auth = acme.adminAuth;
  const create = (description: string) => request<TokenJson>(suite.stack, 'POST', '/api/v2/api_tokens.json', { auth, body: { api_token: { description } } });
  const update = (id: number, body: object) => request(suite.stack, 'PUT', `/api/v2/api_tokens/${id}.json`, { auth, body: { api_token: body } });
  const relay = (await create('Webhook relay')).json.api_token;
  const other = (await create('Other token')).json.api_token;
  await update(relay.id, { description: 'Webhook relay v2' });
  await update(other.id, { description: 'Other token v2' });
  await update(relay.id, { active: false });
  const expected = await request<AuditLogsJson>(suite.stack, 'GET', `/api/v2/audit_logs.json?filter[source_type]=api_token&filter[source_id]=${relay.id}&sort=-created_at`, { auth });
  const relayChanges = expected.json.audit_logs.map((entry) => entry.change_description);
  expect(relayChanges).toHaveLength(3);

  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, auth);
  await openOptions(page, 'Webhook relay v2');
  await menuItem(page, 'View audit log').click();
  await expectVisible(auditLogHeading(page));
  for (const column of auditColumns) await expectVisible(page.getByRole('columnheader', { name: column, exact: true }));

  await eventually(async () => expect(await columnTexts(page, 'Change')).toEqual(relayChanges));
  const tokenFilter = page.getByLabel(/^Token\b/);
  const prefilled = await tokenFilter.first().inputValue();
  expect([String(relay.id), 'Webhook relay v2', 'Webhook relay'].some((value) => prefilled.includes(value))).toBe(true);
});

test('filters by action, actor and time range live in the URL: a reload and the same URL in a new tab show the same view', async () => {
  const acme = await provisionAccount(suite.stack, 'auditfilter');
  const ada = await suite.stack.accounts.addUser(OPERATOR, { accountId: 'auditfilter', email: 'ada@auditfilter.test', name: 'Ada Admin', role: 'admin', verified: true });
  const entries = await seedAuditEntries(
    suite.stack,
    history(acme.accountId, 30, [
      { id: ada.userId, name: 'Ada Admin' },
      { id: -1, name: 'Operator' },
    ]),
  );
  // Updates by Ada from 20 days ago to 11 days ago (the range's last day, 10 days ago, may be in or out).
  const dayOf = (entry: AuditEntry) => entry.createdAt.slice(0, 10);
  const from = dayOf(entries[entries.length - 20]!);
  const to = dayOf(entries[entries.length - 10]!);
  const chosen = entries.filter((entry) => entry.action === 'update' && entry.actorId === ada.userId);
  const surely = chosen.filter((entry) => dayOf(entry) >= from && dayOf(entry) < to).map((entry) => entry.changeDescription);
  const maybe = chosen.filter((entry) => dayOf(entry) === to).map((entry) => entry.changeDescription);
  expect(surely.length).toBeGreaterThan(0);

  const expectFiltered = async (page: Page) =>
    eventually(async () => {
      const shown = await seededChanges(page);
      expect(shown.filter((change) => !maybe.includes(change))).toEqual([...surely].reverse());
      for (const actor of await columnTexts(page, 'Actor')) expect(actor).toBe('Ada Admin');
    });

  const first = await suite.open();
  const { page } = first;
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await goToPage(page, 'Audit log');
  await eventually(async () => expect((await seededChanges(page)).length).toBeGreaterThan(0));
  const unfiltered = page.url();

  await selectOptionMatching(page.getByRole('combobox', { name: /^Action/ }), /update/i);
  const actor = page.getByLabel(/^Actor/).first();
  if ((await actor.evaluate((element: PageNode) => element.tagName)) === 'SELECT') await selectOptionMatching(actor, /Ada Admin/);
  else await actor.fill(String(ada.userId));
  await fillDay(page.getByLabel(/^(From|Start|After|Since)\b/i).first(), from);
  await fillDay(page.getByLabel(/^(To|End|Before|Until)\b/i).first(), to);
  await applyFilters(page);
  await expectFiltered(page);
  await eventually(() => expect(page.url()).not.toBe(unfiltered));
  const shared = page.url();

  await page.reload();
  await signInIfAsked(page, acme.adminAuth, auditLogHeading(page));
  await expectFiltered(page);
  expect(page.url()).toBe(shared);

  // The same URL in another tab of another browser profile, after signing in there.
  const second = await suite.open();
  await second.page.goto(shared);
  await signInIfAsked(second.page, acme.adminAuth, auditLogHeading(second.page));
  await expectFiltered(second.page);
});

test('the actor filter offers the system actors (Operator, Secret scanning, Token sweep) and filters by each', async () => {
  const acme = await provisionAccount(suite.stack, 'auditsystem');
  const ada = await suite.stack.accounts.addUser(OPERATOR, { accountId: 'auditsystem', email: 'ada@auditsystem.test', name: 'Ada Admin', role: 'admin', verified: true });
  const systemActors = [
    { id: OPERATOR_ACTOR_ID, name: OPERATOR_ACTOR_NAME },
    ...[SECRET_SCANNING_ACTOR, TOKEN_SWEEP_ACTOR].map(({ actorId, actorName }) => ({ id: actorId, name: actorName })),
  ];
  const entries = await seedAuditEntries(suite.stack, history(acme.accountId, 24, [{ id: ada.userId, name: 'Ada Admin' }, ...systemActors]));

  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await goToPage(page, 'Audit log');
  await eventually(async () => expect((await seededChanges(page)).length).toBeGreaterThan(0));
  const actor = page.getByLabel(/^Actor/).first();
  const offered = await actor.evaluate((element: PageNode) => {
    const list = element.ownerDocument.getElementById(element.getAttribute('list') ?? '');
    return [...(list?.querySelectorAll('option') ?? [])].map((option) => ({ id: Number(option.getAttribute('value')), name: option.getAttribute('label') }));
  });
  expect(offered).toEqual(systemActors);

  for (const system of systemActors) {
    await actor.fill(String(system.id));
    await applyFilters(page);
    const expected = entries.filter((entry) => entry.actorId === system.id).map((entry) => entry.changeDescription).reverse();
    await eventually(async () => {
      expect(await seededChanges(page)).toEqual(expected);
      for (const name of await columnTexts(page, 'Actor')) expect(name).toBe(system.name);
    });
  }
  await actor.fill('-4');
  await applyFilters(page);
  await expectVisible(page.getByText(/Enter a user ID/));
});

test('Newer / Older page through the log newest first, every entry once', async () => {
  const acme = await provisionAccount(suite.stack, 'auditpaging');
  const entries = await seedAuditEntries(suite.stack, history(acme.accountId, 130, [{ id: -1, name: 'Operator' }]));
  const newestFirst = entries.map((entry) => entry.changeDescription).reverse();

  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await goToPage(page, 'Audit log');
  const newer = page.getByRole('button', { name: 'Newer', exact: true });
  const older = page.getByRole('button', { name: 'Older', exact: true });
  await eventually(async () => expect((await seededChanges(page)).length).toBeGreaterThan(0));
  await expectEnabled(newer, false);

  const pages: string[][] = [await seededChanges(page)];
  for (let turn = 0; turn < 20 && (await older.isEnabled()); turn += 1) {
    const before = pages[pages.length - 1]!;
    await older.click();
    pages.push(await eventually(async () => {
      const shown = await seededChanges(page);
      expect(shown).not.toEqual(before);
      return shown;
    }));
  }
  expect(pages.length).toBeGreaterThan(1);
  await expectEnabled(older, false);
  expect(pages.flat()).toEqual(newestFirst);

  // And back: Newer retraces the same pages.
  for (let index = pages.length - 2; index >= 0; index -= 1) {
    await newer.click();
    await eventually(async () => expect(await seededChanges(page)).toEqual(pages[index]));
  }
  await expectEnabled(newer, false);
});

test('on a plan without the audit log, View audit log says it needs an Enterprise plan', async () => {
  const acme = await provisionAccount(suite.stack, 'professional', { plan: 'professional' });
  const credentials: Credentials = acme.adminAuth;
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, credentials);
  const [token] = (await request<{ api_tokens: { visible_token: string; description: string | null }[] }>(suite.stack, 'GET', '/api/v2/api_tokens.json', { auth: credentials })).json.api_tokens;
  await openOptions(page, token!.description ?? token!.visible_token);
  const item = menuItem(page, /^View audit log/);
  await expectVisible(item);
  await expectEnabled(item, false);
  const explanation = `${await openMenu(page).innerText()} ${await accessibleDescription(item)}`;
  expect(explanation).toMatch(/Enterprise plan/);
  await expectAccessibleInBothSchemes(page, 'options menu without the audit log');
});
