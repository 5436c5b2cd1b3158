// Signing in to the admin console and out again, in Chromium against the local stack: an admin's email and
// API token; the credentials kept for the tab only (never localStorage, cookies or the URL); a wrong token
// answered inline, never with the browser's own Basic-auth prompt; an agent turned away; Sign out
// forgetting the credentials, and the next admin of the tab seeing nothing of the previous session.
import { generateToken } from '../../shared/domain/token-format';
import { addUser, provisionAccount, tokenIdOf } from '../support/api-stack';
import { expectHidden, expectPageText, expectVisible, fullTokensIn, pageStorage, pageText } from '../support/browser';
import {
  emailField,
  goToPage,
  signIn,
  signInButton,
  signOutButton,
  submitSignIn,
  tokenField,
  countText,
  tokenRow,
  tokensHeading,
  tokensTable,
} from '../support/console-flows';
import { consoleSuite, STACK_TRACE } from '../support/console-suite';
import { seedTokens } from '../support/console-stack';

const suite = consoleSuite();

test('/ leads to the console; an admin signs in with email and API token; nothing of the credential reaches localStorage, cookies or URLs', async () => {
  const acme = await provisionAccount(suite.stack, 'signin');
  const opened = await suite.open();
  const { page } = opened;
  await page.goto(`${suite.stack.baseUrl}/`);
  expect(page.url()).toBe(suite.stack.consoleUrl);
  await expectVisible(emailField(page));
  await expectVisible(tokenField(page));

  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await expectVisible(tokensTable(page));
  await expectVisible(signOutButton(page));

  const kept = await pageStorage(opened);
  expect(kept.localStorage).not.toContain(acme.token);
  expect(kept.localStorage).not.toContain(encodeURIComponent(acme.token));
  expect(kept.cookies).toBe('[]');
  expect(kept.url).not.toContain(acme.token);
  for (const entry of kept.historyEntries) expect(entry).not.toContain(acme.token);
  expect(fullTokensIn(kept.historyState)).toEqual([]);
  expect(opened.authPrompts).toEqual([]);
});

test('a wrong token: "Couldn\'t authenticate you" inline, no Basic-auth prompt, and the form works on', async () => {
  const acme = await provisionAccount(suite.stack, 'wrongtoken');
  // A well-formed token of the account with the wrong secret: the authorizer denies it (401, WWW-Authenticate: Basic).
  const forged = generateToken(acme.accountId, tokenIdOf(acme.token)).token;
  const opened = await suite.open();
  const { page } = opened;
  await page.goto(suite.stack.consoleUrl);
  await submitSignIn(page, { email: acme.adminAuth.email, token: forged });

  await expectPageText(page, "Couldn't authenticate you");
  // Inline: the form is still there, on the console's own page, and nothing else opened over it.
  await expectVisible(emailField(page));
  expect(page.url().startsWith(suite.stack.consoleUrl)).toBe(true);
  expect(opened.authPrompts).toEqual([]);
  expect(opened.nativeDialogs).toEqual([]);
  expect(await pageText(page)).not.toMatch(STACK_TRACE);
  await expectHidden(tokensHeading(page));

  // The page stays usable: the right token signs in from the same form.
  await tokenField(page).fill(acme.token);
  await signInButton(page).click();
  await expectVisible(tokensHeading(page));
  expect(opened.authPrompts).toEqual([]);
});

test('the prompt detector the wrong-token test relies on: a request sent with the browser\'s credentials would have prompted', async () => {
  const acme = await provisionAccount(suite.stack, 'promptcheck');
  const forged = generateToken(acme.accountId, tokenIdOf(acme.token)).token;
  const opened = await suite.open();
  await opened.page.goto(suite.stack.consoleUrl);
  const authorization = `Basic ${Buffer.from(`${acme.adminAuth.email}/token:${forged}`).toString('base64')}`;
  const status = await opened.page.evaluate(async (value) => (await fetch('/api/v2/users/me.json', { headers: { Authorization: value } })).status, authorization);
  expect(status).toBe(401);
  expect(opened.authPrompts).toEqual([`${suite.stack.baseUrl}/api/v2/users/me.json`]);
});

test('an agent is told "Only administrators can manage API tokens" and sees no tokens', async () => {
  const acme = await provisionAccount(suite.stack, 'agentsignin');
  const agent = await addUser(suite.stack, acme.accountId, 'agent@agentsignin.test', 'agent');
  const opened = await suite.open();
  const { page } = opened;
  await page.goto(suite.stack.consoleUrl);
  // Tokens belong to the account: the agent signs in with one of its tokens and is the agent.
  await submitSignIn(page, { email: agent.email, token: acme.token });

  await expectPageText(page, 'Only administrators can manage API tokens');
  await expectHidden(tokensTable(page));
  await expectHidden(page.getByRole('button', { name: 'Add API token' }));
  expect(opened.authPrompts).toEqual([]);
});

test('Sign out forgets the credentials: storage keeps nothing of them, and Back or a reload shows the sign-in form', async () => {
  const acme = await provisionAccount(suite.stack, 'signout');
  const opened = await suite.open();
  const { page } = opened;
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  // A second page of the console, so that Back has a signed-in page of it to return to.
  await goToPage(page, 'Audit log');
  await signOutButton(page).click();
  await expectVisible(emailField(page));
  await expectHidden(tokensTable(page));

  const kept = await pageStorage(opened);
  for (const place of [kept.sessionStorage, kept.localStorage, kept.historyState, kept.cookies, kept.url, ...kept.historyEntries]) {
    expect(place).not.toContain(acme.token);
  }
  expect(kept.formValues).not.toContain(acme.token);
  expect(fullTokensIn(await page.content())).toEqual([]);

  await page.goBack();
  expect(page.url().startsWith(suite.stack.consoleUrl)).toBe(true);
  await expectVisible(emailField(page));
  await expectHidden(tokensTable(page));
  await page.reload();
  await expectVisible(emailField(page));
  await expectHidden(tokensTable(page));
});

test('after Sign out, the next admin to sign in in the tab sees their own account\'s tokens, nothing of the previous one', async () => {
  const first = await provisionAccount(suite.stack, 'firsttab');
  const second = await provisionAccount(suite.stack, 'secondtab');
  await seedTokens(suite.stack, first.accountId, [{ description: 'First account only' }]);
  await seedTokens(suite.stack, second.accountId, [{ description: 'Second account only' }, { description: 'Second account too' }]);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, first.adminAuth);
  await expectVisible(tokenRow(page, 'First account only'));
  await signOutButton(page).click();
  await expectVisible(emailField(page));

  await submitSignIn(page, second.adminAuth);
  await expectVisible(tokensHeading(page));
  await expectVisible(tokenRow(page, 'Second account only'));
  await expectPageText(page, countText(3, 256));
  expect(await pageText(page)).not.toContain('First account only');
  expect(await page.content()).not.toContain(first.accountId);
});
