// What an administrator does in the admin console, step by step, found the way a person (or a screen
// reader) finds things: by role and accessible name, with the names the console's specification gives
// (issue 12: "Add API token", "Options for {description or visible token}", "Save", "Deactivate"...).
import type { Locator, Page } from 'playwright-core';
import type { Credentials } from './api-stack';
import { eventually, expectHidden, expectVisible } from './browser';
import type { PageNode } from '../../scripts/page-globals';

/** The tokens page's heading: what a signed-in admin lands on. */
export const tokensHeading = (page: Page) => page.getByRole('heading', { name: 'API tokens', exact: true });
export const auditLogHeading = (page: Page) => page.getByRole('heading', { name: 'Audit log', exact: true });

export const emailField = (page: Page) => page.getByLabel('Email', { exact: true });
export const tokenField = (page: Page) => page.getByLabel('API token', { exact: true });
export const signInButton = (page: Page) => page.getByRole('button', { name: 'Sign in', exact: true });
export const signOutButton = (page: Page) => page.getByRole('button', { name: 'Sign out', exact: true });

/** Fills the sign-in form and submits it, without waiting for what follows. */
export async function submitSignIn(page: Page, credentials: Credentials): Promise<void> {
  await emailField(page).fill(credentials.email);
  await tokenField(page).fill(credentials.token);
  await signInButton(page).click();
}

/** Opens `url` (the console by default), signs in and waits for the tokens page (or `landing`). */
export async function signIn(page: Page, consoleUrl: string, credentials: Credentials, landing: Locator = tokensHeading(page)): Promise<void> {
  if (!page.url().startsWith(consoleUrl)) await page.goto(consoleUrl);
  await emailField(page).waitFor({ state: 'visible' });
  await submitSignIn(page, credentials);
  await expectVisible(landing);
}

/**
 * After a reload or an opened link: the console may keep the session for the tab (sessionStorage) or
 * only in memory; when it asks to sign in again, sign in. Ends on `landing`.
 */
export async function signInIfAsked(page: Page, credentials: Credentials, landing: Locator): Promise<void> {
  const form = emailField(page);
  // A console that restores the session may show the form for a moment first: fill it only once it stays.
  await eventually(async () => {
    if (await landing.isVisible()) return;
    if (await form.isVisible()) {
      await emailField(page).fill(credentials.email, { timeout: 1000 });
      await tokenField(page).fill(credentials.token, { timeout: 1000 });
      await signInButton(page).click({ timeout: 1000 });
    }
    await landing.waitFor({ state: 'visible', timeout: 1000 });
  }, 20_000);
  await expectVisible(landing);
}

/** The navigation link to one of the console's pages. */
export const navLink = (page: Page, name: 'API tokens' | 'Audit log' | 'Settings') =>
  page.getByRole('navigation').getByRole('link', { name, exact: true });

export async function goToPage(page: Page, name: 'API tokens' | 'Audit log' | 'Settings'): Promise<void> {
  await navLink(page, name).click();
  await expectVisible(page.getByRole('heading', { name, exact: true }));
}

// ---- the tokens page ------------------------------------------------------------------------------

export const tokensTable = (page: Page) => page.getByRole('table');
export const addTokenButton = (page: Page) => page.getByRole('button', { name: 'Add API token', exact: true });

/** The table row of the token with this description (or visible token). */
export const tokenRow = (page: Page, label: string) => tokensTable(page).getByRole('row').filter({ hasText: label });

export const optionsButton = (page: Page, label: string) => page.getByRole('button', { name: `Options for ${label}`, exact: true });

/** The options menu that is open. */
export const openMenu = (page: Page) => page.getByRole('menu');
export const menuItem = (page: Page, name: string | RegExp) =>
  openMenu(page).getByRole('menuitem', typeof name === 'string' ? { name, exact: true } : { name });

export async function openOptions(page: Page, label: string): Promise<Locator> {
  await optionsButton(page, label).click();
  await expectVisible(openMenu(page));
  return openMenu(page);
}

/** The dialog that is open (the console's dialogs are modal: one at a time). */
export const openDialog = (page: Page) => page.getByRole('dialog');

/** Chooses a menu item of a token's options menu and returns the dialog it opens. */
export async function chooseOption(page: Page, label: string, item: string): Promise<Locator> {
  await openOptions(page, label);
  await menuItem(page, item).click();
  await expectVisible(openDialog(page));
  return openDialog(page);
}

/** The Status cell text of a token's row, e.g. "Active". */
export async function expectStatus(page: Page, label: string, status: 'Active' | 'Deactivated'): Promise<void> {
  await eventually(async () => expect(await cellOf(page, label, 'Status')).toBe(status));
}

/** One column's cell texts, top to bottom, of the body rows of the page's table (tokens or audit log). */
export function columnTexts(page: Page, column: string): Promise<string[]> {
  return page.getByRole('table').evaluate((table: PageNode, name) => {
    const headers = [...table.querySelectorAll('thead th, thead td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim());
    const index = headers.findIndex((header) => header === name || header.startsWith(`${name} `));
    if (index < 0) throw new Error(`no column ${name} among ${headers.join(' | ')}`);
    return [...table.querySelectorAll('tbody tr')].map((row) => (row.cells[index]?.textContent ?? '').replace(/\s+/g, ' ').trim());
  }, column);
}

/** The text of one cell: the column `column` of the row of `label`. */
export async function cellOf(page: Page, label: string, column: string): Promise<string | undefined> {
  const descriptions = await columnTexts(page, 'Description');
  const tokens = await columnTexts(page, 'Token');
  const values = await columnTexts(page, column);
  const index = descriptions.findIndex((text, row) => text === label || tokens[row] === label);
  return index < 0 ? undefined : values[index];
}

/** "12 of 256 tokens" on the tokens page. */
export const countText = (used: number, limit: number) => new RegExp(`\\b${grouped(used)} of ${grouped(limit)} tokens\\b`);
const grouped = (value: number) => {
  const plain = String(value);
  const withCommas = value.toLocaleString('en-US');
  return plain === withCommas ? plain : `(?:${plain}|${withCommas})`;
};

export interface AddedToken {
  /** The full token as the dialog showed it. */
  token: string;
}

/** Adds a token through the dialog (description optional) and closes it; returns the token it showed. */
export async function addToken(page: Page, description: string | null): Promise<AddedToken> {
  await addTokenButton(page).click();
  const dialog = openDialog(page);
  await expectVisible(dialog);
  if (description !== null) await dialog.getByLabel('Description', { exact: true }).fill(description);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectVisible(dialog.getByRole('button', { name: 'Copy', exact: true }));
  const token = await shownToken(dialog);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));
  return { token };
}

/** The one full token a dialog shows, as text or in a read-only field. */
export async function shownToken(dialog: Locator): Promise<string> {
  const text = await dialog.evaluate((element: PageNode) => {
    const values = [...element.querySelectorAll('input, textarea')].map((field) => field.value);
    return [element.innerText, ...values].join('\n');
  });
  const tokens = [...new Set(text.match(/apit_[a-z0-9]{3,32}_[0-9]{1,16}_[0-9A-Za-z]{36}/g) ?? [])];
  expect(tokens).toHaveLength(1);
  return tokens[0]!;
}

/** The select (combobox) option whose label matches, chosen by its value. */
export async function selectOptionMatching(select: Locator, label: RegExp): Promise<string> {
  const options = await select.evaluate((element: PageNode) => Array.from(element.options).map((option) => ({ value: option.value, label: option.label })));
  const option = options.find((candidate) => label.test(candidate.label));
  if (!option) throw new Error(`no option matching ${label} among ${options.map((candidate) => candidate.label).join(', ')}`);
  await select.selectOption(option.value);
  return option.label;
}
