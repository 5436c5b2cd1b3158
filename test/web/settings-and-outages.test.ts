// The account's kill switch and DynamoDB outages, in Chromium against the local stack. Settings: turning
// "API token access" off asks first, then the console says it is signed out because access is off, and
// the API refuses every token of the account. With DynamoDB stopped (the functions' connections refused,
// test/support/console-stack.ts) the console says "The service is temporarily unavailable; retry
// shortly." with a Retry button that works once DynamoDB is back. Axe checks those states (light and dark)
// where they happen.
import { basicAuth, provisionAccount, createToken, type Credentials } from '../support/api-stack';
import { expectAccessibleInBothSchemes, expectHidden, expectPageText, expectVisible, pageText } from '../support/browser';
import {
  auditLogHeading,
  emailField,
  goToPage,
  navLink,
  openDialog,
  signIn,
  submitSignIn,
  tokensHeading,
  tokensTable,
} from '../support/console-flows';
import { consoleSuite, STACK_TRACE } from '../support/console-suite';

const suite = consoleSuite({ switchable: true });
const UNAVAILABLE = 'The service is temporarily unavailable; retry shortly.';

async function apiStatus(credentials: Credentials): Promise<number> {
  const response = await fetch(`${suite.stack.baseUrl}/api/v2/users/me.json`, { headers: { Authorization: basicAuth(credentials.email, credentials.token) } });
  await response.arrayBuffer();
  return response.status;
}

/** Runs `during` with DynamoDB stopped, and starts it again whatever happens. */
async function withDynamoDbStopped(during: () => Promise<void>): Promise<void> {
  const dynamodb = suite.stack.dynamodb!;
  await dynamodb.stop();
  try {
    await during();
  } finally {
    await dynamodb.start();
  }
}

test('Settings: turning "API token access" off asks first, then signs out because access is off, and the API refuses the account\'s tokens', async () => {
  const acme = await provisionAccount(suite.stack, 'killswitch');
  const other = { email: acme.adminAuth.email, token: await createToken(suite.stack, acme.accountId, 'Another integration') };
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await goToPage(page, 'Settings');
  const access = page.getByRole('switch', { name: 'API token access' }).or(page.getByRole('checkbox', { name: 'API token access' }));
  await expectVisible(access);
  expect(await access.isChecked()).toBe(true);
  // Below it the inactivity policy the hourly sweep applies: off until set.
  expect(await page.getByRole('definition').allInnerTexts()).toEqual(['Off', 'Off']);

  // The confirmation says what happens; Cancel leaves access on.
  await access.click();
  let dialog = openDialog(page);
  await expectVisible(dialog);
  const warning = await dialog.innerText();
  expect(warning).toMatch(/every (API )?token/i);
  expect(warning).toMatch(/in use|you are using|you're using|signed in with/i);
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectHidden(openDialog(page));
  expect(await access.isChecked()).toBe(true);
  expect(await apiStatus(other)).toBe(200);
  expect((await suite.stack.accounts.getAccount(acme.accountId)).apiTokenAccess).toBe(true);

  await access.click();
  dialog = openDialog(page);
  await expectVisible(dialog);
  await dialog.getByRole('button', { name: /^(Turn (it )?off|Turn off access|Confirm|Disable)/i }).click();

  await expectVisible(emailField(page));
  await expectPageText(page, /signed out/i);
  await expectPageText(page, /access is (turned )?off|turned off/i);
  await expectHidden(tokensTable(page));
  await expectAccessibleInBothSchemes(page, 'signed out because access is off');
  expect((await suite.stack.accounts.getAccount(acme.accountId)).apiTokenAccess).toBe(false);
  expect(await apiStatus(acme.adminAuth)).toBe(401);
  expect(await apiStatus(other)).toBe(401);
});

test('DynamoDB stopped while signed in: the page says the service is unavailable, and Retry shows it once DynamoDB is back', async () => {
  const acme = await provisionAccount(suite.stack, 'outage');
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  const retry = page.getByRole('button', { name: 'Retry', exact: true });

  await withDynamoDbStopped(async () => {
    await navLink(page, 'Audit log').click();
    await expectPageText(page, UNAVAILABLE, 20_000);
    await expectVisible(retry);
    expect(await pageText(page)).not.toMatch(STACK_TRACE);
    await expectAccessibleInBothSchemes(page, 'service unavailable (signed in)');
  });
  await retry.click();
  await expectVisible(auditLogHeading(page));
  await expectVisible(page.getByRole('table'));
  await expectHidden(page.getByText(UNAVAILABLE));
});

test('DynamoDB stopped at sign-in: the same message and Retry, which signs in once DynamoDB is back', async () => {
  const acme = await provisionAccount(suite.stack, 'outagesignin');
  const opened = await suite.open();
  const { page } = opened;
  await page.goto(suite.stack.consoleUrl);
  const retry = page.getByRole('button', { name: 'Retry', exact: true });

  await withDynamoDbStopped(async () => {
    await submitSignIn(page, acme.adminAuth);
    await expectPageText(page, UNAVAILABLE, 20_000);
    await expectVisible(retry);
    await expectHidden(tokensHeading(page));
    // Unavailable is not "wrong credentials".
    expect(await pageText(page)).not.toContain("Couldn't authenticate you");
    expect(await pageText(page)).not.toMatch(STACK_TRACE);
    await expectAccessibleInBothSchemes(page, 'service unavailable (signing in)');
  });
  await retry.click();
  await expectVisible(tokensHeading(page));
  await expectVisible(tokensTable(page));
  expect(opened.authPrompts).toEqual([]);
});
