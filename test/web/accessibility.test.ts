// Accessibility and layout of the admin console, in Chromium against the local stack: axe-core on every
// page and every open dialog and menu, in the light colour scheme and (its colour rules) in the dark one
// (0 serious or critical violations; a failure lists the rules and the elements); keyboard-only Add API token and Deactivate with
// focus moved into dialogs and back to what opened them; no sideways scrolling at 360 px nor at 200 %
// zoom; the colour scheme followed. (The 503 and "access is off" states are checked where they are
// produced, in settings-and-outages.test.ts.)
import type { Page } from 'playwright-core';
import { OPERATOR, addUser, provisionAccount, type ProvisionedAccount } from '../support/api-stack';
import {
  DESKTOP,
  NARROW,
  eventually,
  expectAccessibleInBothSchemes,
  expectHidden,
  expectPageText,
  expectVisible,
  hasFocus,
  horizontalOverflow,
  pressUntilFocused,
} from '../support/browser';
import {
  addTokenButton,
  chooseOption,
  countText,
  emailField,
  expectStatus,
  goToPage,
  menuItem,
  openDialog,
  openMenu,
  openOptions,
  optionsButton,
  signIn,
  submitSignIn,
  tokenRow,
} from '../support/console-flows';
import { consoleSuite } from '../support/console-suite';
import type { PageGlobals, PageNode } from '../../scripts/page-globals';
import { seedTokens, tokenSeeds } from '../support/console-stack';

const suite = consoleSuite();

/**
 * An account with a few tokens in both states, one used, one made by a named admin (shown in its detail
 * view), on the Enterprise plan (the audit log has entries).
 */
async function accountWithTokens(accountId: string): Promise<ProvisionedAccount> {
  const account = await provisionAccount(suite.stack, accountId);
  const grace = await suite.stack.accounts.addUser(OPERATOR, { accountId, email: `grace@${accountId}.test`, name: 'Grace Hopper', role: 'admin', verified: true });
  await seedTokens(suite.stack, accountId, [
    { description: 'Zapier sync', lastUsedAt: new Date(Date.now() - 3_600_000), createdAt: new Date(Date.now() - 7_200_000) },
    { description: 'Old webhook', active: false },
    { description: 'Nightly export', createdBy: grace.userId },
  ]);
  return account;
}

test('axe: the sign-in page, a refused sign-in and an agent\'s sign-in', async () => {
  const acme = await provisionAccount(suite.stack, 'axesignin');
  const agent = await addUser(suite.stack, acme.accountId, 'agent@axesignin.test', 'agent');
  const { page } = await suite.open();
  await page.goto(suite.stack.consoleUrl);
  await expectVisible(emailField(page));
  await expectAccessibleInBothSchemes(page, 'sign-in page');

  await submitSignIn(page, { email: acme.adminAuth.email, token: `${acme.token.slice(0, -1)}${acme.token.endsWith('A') ? 'B' : 'A'}` });
  await expectPageText(page, "Couldn't authenticate you");
  await expectAccessibleInBothSchemes(page, 'sign-in refused');

  await submitSignIn(page, { email: agent.email, token: acme.token });
  await expectPageText(page, 'Only administrators can manage API tokens');
  await expectAccessibleInBothSchemes(page, 'agent signed in');
});

test('axe: the tokens page, its options menu, every token dialog and the detail view', async () => {
  const acme = await accountWithTokens('axetokens');
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await expectVisible(tokenRow(page, 'Old webhook'));
  await expectAccessibleInBothSchemes(page, 'tokens page');

  await openOptions(page, 'Zapier sync');
  await expectAccessibleInBothSchemes(page, 'options menu (active token)');
  await page.keyboard.press('Escape');
  await openOptions(page, 'Old webhook');
  await expectAccessibleInBothSchemes(page, 'options menu (deactivated token)');
  await menuItem(page, 'Reactivate').click();
  await expectVisible(openDialog(page));
  await expectAccessibleInBothSchemes(page, 'Reactivate dialog');
  await openDialog(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));

  await chooseOption(page, 'Old webhook', 'Delete');
  await expectAccessibleInBothSchemes(page, 'Delete dialog');
  await openDialog(page).getByRole('button', { name: 'Cancel', exact: true }).click();

  await chooseOption(page, 'Zapier sync', 'Deactivate');
  await expectAccessibleInBothSchemes(page, 'Deactivate dialog');
  await openDialog(page).getByRole('button', { name: 'Cancel', exact: true }).click();

  const edit = await chooseOption(page, 'Zapier sync', 'Edit');
  await expectAccessibleInBothSchemes(page, 'Edit dialog');
  await edit.getByLabel('Description', { exact: true }).fill('Zap\u200Bier');
  await edit.getByRole('button', { name: 'Save', exact: true }).click();
  await eventually(async () => expect(await edit.getByLabel('Description', { exact: true }).getAttribute('aria-invalid')).toBe('true'));
  await expectAccessibleInBothSchemes(page, 'Edit dialog with the API\'s validation error');
  await edit.getByRole('button', { name: 'Cancel', exact: true }).click();

  await addTokenButton(page).click();
  const add = openDialog(page);
  await expectVisible(add);
  await expectAccessibleInBothSchemes(page, 'Add API token dialog');
  await add.getByLabel('Description', { exact: true }).fill('Axe check');
  await add.getByRole('button', { name: 'Save', exact: true }).click();
  await expectVisible(add.getByRole('button', { name: 'Copy', exact: true }));
  await expectAccessibleInBothSchemes(page, 'the new token, shown once');
  await add.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));

  await tokenRow(page, 'Nightly export').getByText('Nightly export', { exact: true }).click();
  await expectPageText(page, /Grace Hopper|grace@axetokens\.test/);
  await expectAccessibleInBothSchemes(page, 'token detail view');
});

test('axe: the audit log, the settings page and the kill switch\'s confirmation', async () => {
  const acme = await accountWithTokens('axepages');
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await goToPage(page, 'Audit log');
  await expectVisible(page.getByRole('table'));
  await expectAccessibleInBothSchemes(page, 'audit log');

  await goToPage(page, 'Settings');
  await expectAccessibleInBothSchemes(page, 'settings page');
  await page.getByRole('switch', { name: 'API token access' }).or(page.getByRole('checkbox', { name: 'API token access' })).click();
  await expectVisible(openDialog(page));
  await expectAccessibleInBothSchemes(page, 'API token access confirmation');
  await openDialog(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));
});

test('axe: the tokens page at the limit (Add API token disabled, with the reason)', async () => {
  const acme = await provisionAccount(suite.stack, 'axelimit');
  await seedTokens(suite.stack, acme.accountId, tokenSeeds(255, 'Integration'));
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await expectPageText(page, countText(256, 256));
  // The rows are the tokens page's, checked above: the first few stand for the 256.
  await expectAccessibleInBothSchemes(page, 'tokens page at the limit', ['table tbody tr:nth-child(n+4)']);
});

/** Tabs (forwards) until `target` has focus and checks that its focus can be seen. */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>): Promise<void> {
  await pressUntilFocused(page, 'Tab', target);
  const indicator = await target.evaluate((element: PageNode) => {
    const { getComputedStyle } = globalThis as unknown as PageGlobals;
    const style = getComputedStyle(element);
    return { outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0, shadow: style.boxShadow !== 'none' };
  });
  expect(indicator.outline || indicator.shadow).toBe(true);
}

test('keyboard only: add a token and deactivate one; focus moves into each dialog and back to what opened it', async () => {
  const acme = await provisionAccount(suite.stack, 'keyboard');
  await seedTokens(suite.stack, acme.accountId, [{ description: 'Legacy sync' }]);
  const { page } = await suite.open();
  await page.goto(suite.stack.consoleUrl);
  await pressUntilFocused(page, 'Tab', emailField(page));
  await page.keyboard.type(acme.adminAuth.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(acme.token);
  await page.keyboard.press('Enter');
  await expectVisible(tokenRow(page, 'Legacy sync'));

  // Add API token: Enter opens the dialog with focus inside; Escape closes it and focus returns.
  const add = addTokenButton(page);
  await tabTo(page, add);
  await page.keyboard.press('Enter');
  const dialog = openDialog(page);
  await expectVisible(dialog);
  await eventually(async () => expect(await hasFocus(dialog)).toBe(true));
  await page.keyboard.press('Escape');
  await expectHidden(openDialog(page));
  await eventually(async () => expect(await hasFocus(add)).toBe(true));

  await page.keyboard.press('Enter');
  await expectVisible(dialog);
  const description = dialog.getByLabel('Description', { exact: true });
  await pressUntilFocused(page, 'Tab', description);
  await page.keyboard.type('Typed with the keyboard');
  await pressUntilFocused(page, 'Tab', dialog.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  const copy = dialog.getByRole('button', { name: 'Copy', exact: true });
  await expectVisible(copy);
  await pressUntilFocused(page, 'Tab', dialog.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  await expectHidden(openDialog(page));
  await expectVisible(tokenRow(page, 'Typed with the keyboard'));
  await eventually(async () => expect(await hasFocus(add)).toBe(true));

  // Deactivate: the options button opens the menu (Enter), arrows reach the item, Escape closes the dialog,
  // the confirm button deactivates; each time focus returns to the options button.
  const options = optionsButton(page, 'Legacy sync');
  await tabTo(page, options);
  await page.keyboard.press('Enter');
  await expectVisible(openMenu(page));
  const deactivate = menuItem(page, 'Deactivate');
  await pressUntilFocused(page, 'ArrowDown', deactivate, 10);
  await page.keyboard.press('Escape');
  await expectHidden(openMenu(page));
  await eventually(async () => expect(await hasFocus(options)).toBe(true));

  await page.keyboard.press('Enter');
  await pressUntilFocused(page, 'ArrowDown', deactivate, 10);
  await page.keyboard.press('Enter');
  await expectVisible(openDialog(page));
  await eventually(async () => expect(await hasFocus(openDialog(page))).toBe(true));
  await page.keyboard.press('Escape');
  await expectHidden(openDialog(page));
  await eventually(async () => expect(await hasFocus(options)).toBe(true));
  await expectStatus(page, 'Legacy sync', 'Active');

  await page.keyboard.press('Enter');
  await pressUntilFocused(page, 'ArrowDown', deactivate, 10);
  await page.keyboard.press('Enter');
  const confirm = openDialog(page).getByRole('button', { name: 'Deactivate', exact: true });
  await expectVisible(confirm);
  await pressUntilFocused(page, 'Tab', confirm);
  await page.keyboard.press('Enter');
  await expectHidden(openDialog(page));
  await expectStatus(page, 'Legacy sync', 'Deactivated');
  await eventually(async () => expect(await hasFocus(options)).toBe(true));
});

test('no sideways scrolling at 360 px (and at 200 % zoom: 640 CSS px) on any page or in a dialog', async () => {
  const acme = await accountWithTokens('narrow');
  const widths = [NARROW, { width: DESKTOP.width / 2, height: DESKTOP.height / 2 }];
  const overflows: Record<string, number> = {};
  for (const viewport of widths) {
    const { page } = await suite.open({ viewport });
    const measure = async (state: string) => {
      overflows[`${viewport.width} px, ${state}`] = await horizontalOverflow(page);
    };
    await page.goto(suite.stack.consoleUrl);
    await expectVisible(emailField(page));
    await measure('sign-in page');
    await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
    await expectVisible(tokenRow(page, 'Old webhook'));
    await measure('tokens page');
    await openOptions(page, 'Zapier sync');
    await measure('options menu');
    await page.keyboard.press('Escape');
    await addTokenButton(page).click();
    await expectVisible(openDialog(page));
    await measure('Add API token dialog');
    await page.keyboard.press('Escape');
    await expectHidden(openDialog(page));
    await goToPage(page, 'Audit log');
    await expectVisible(page.getByRole('table'));
    await measure('audit log');
    await goToPage(page, 'Settings');
    await measure('settings page');
  }
  expect(overflows).toEqual(Object.fromEntries(Object.keys(overflows).map((state) => [state, 0])));
});

test('at 1280 px the tokens table fits: no sideways scrolling in it, every column and the options in view', async () => {
  const acme = await accountWithTokens('wide');
  const { page } = await suite.open({ viewport: DESKTOP });
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await expectVisible(tokenRow(page, 'Old webhook'));
  const wrapper = page.locator('.table-wrap');
  expect(await wrapper.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
  const inView = await optionsButton(page, 'Zapier sync').evaluate((button) => {
    const box = button.getBoundingClientRect();
    return box.right <= (button.closest('.table-wrap')?.getBoundingClientRect().right ?? 0);
  });
  expect(inView).toBe(true);
});

test('the console follows prefers-color-scheme', async () => {
  const acme = await provisionAccount(suite.stack, 'colours');
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  const looks = async (colorScheme: 'light' | 'dark') => {
    await page.emulateMedia({ colorScheme });
    const heading = await page.getByRole('heading', { name: 'API tokens', exact: true }).evaluate((element: PageNode) => (globalThis as unknown as PageGlobals).getComputedStyle(element).color);
    return { heading, picture: (await page.screenshot()).toString('base64') };
  };
  const light = await looks('light');
  const dark = await looks('dark');
  expect(dark.heading).not.toBe(light.heading);
  expect(dark.picture).not.toBe(light.picture);
  // And back: the same page looks as it did.
  expect((await looks('light')).heading).toBe(light.heading);
});
