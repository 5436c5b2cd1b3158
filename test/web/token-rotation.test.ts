// Rotate in the console, in Chromium against the local stack: the Rotate item of a token's options menu opens
// "Rotate API token" with a grace period; Rotate shows the new token once, as Add API token does. Replaced at
// once, the old token fails and leaves the list (the count unchanged); with a grace both work. Axe on the
// dialog and on the new token.
import { basicAuth, provisionAccount, type Credentials } from '../support/api-stack';
import { expectAccessibleInBothSchemes, expectHidden, expectPageText, expectVisible, fullTokensIn, pageStorage } from '../support/browser';
import { chooseOption, countText, openDialog, selectOptionMatching, shownToken, signIn, tokenRow } from '../support/console-flows';
import { seedTokens } from '../support/console-stack';
import { consoleSuite } from '../support/console-suite';

const suite = consoleSuite();

async function apiStatus(credentials: Credentials): Promise<number> {
  const response = await fetch(`${suite.stack.baseUrl}/api/v2/users/me.json`, { headers: { Authorization: basicAuth(credentials.email, credentials.token) } });
  await response.arrayBuffer();
  return response.status;
}

test('Rotate, replacing now: the new token shown once; the old one fails and leaves the list, the count unchanged; axe on both steps', async () => {
  const acme = await provisionAccount(suite.stack, 'rotatenow');
  const [deploy] = await seedTokens(suite.stack, acme.accountId, [{ description: 'Deploy bot' }]);
  const opened = await suite.open();
  const { page } = opened;
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);
  await expectPageText(page, countText(2, 256));

  const dialog = await chooseOption(page, 'Deploy bot', 'Rotate');
  await expectVisible(dialog.getByRole('heading', { name: 'Rotate API token', exact: true }));
  const grace = dialog.getByLabel('Grace period', { exact: true });
  expect(await grace.evaluate((element: { selectedOptions: { label: string }[] }) => element.selectedOptions[0]!.label)).toBe('None: replace the old token now');
  await expectAccessibleInBothSchemes(page, 'Rotate dialog');
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();

  await expectVisible(dialog.getByRole('button', { name: 'Copy', exact: true }));
  expect(await dialog.innerText()).toContain('When you click Save to close this window, the full token will never be displayed again.');
  const token = await shownToken(dialog);
  await expectAccessibleInBothSchemes(page, 'Rotate dialog, the new token');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));

  await expectVisible(tokenRow(page, 'Deploy bot'));
  expect(await tokenRow(page, 'Deploy bot').count()).toBe(1);
  await expectPageText(page, countText(2, 256));
  expect(await apiStatus({ email: acme.adminAuth.email, token: deploy!.token })).toBe(401);
  expect(await apiStatus({ email: acme.adminAuth.email, token })).toBe(200);
  suite.stack.urls.gone.add(`${suite.stack.baseUrl}/api/v2/api_tokens/${deploy!.apiToken.tokenId}`);

  // The new token is nowhere in the page once the dialog is closed.
  const kept = await pageStorage(opened);
  expect(fullTokensIn([await page.content(), ...kept.formValues, kept.sessionStorage, kept.localStorage, kept.historyState].join('\n')).filter((found) => found !== acme.token)).toEqual([]);
});

test('Rotate with a grace period: both tokens work and both are listed; at the limit the API\'s refusal shows in the dialog', async () => {
  const acme = await provisionAccount(suite.stack, 'rotategrace');
  const [nightly] = await seedTokens(suite.stack, acme.accountId, [{ description: 'Nightly export' }, { description: 'Spare' }]);
  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, acme.adminAuth);

  let dialog = await chooseOption(page, 'Nightly export', 'Rotate');
  await selectOptionMatching(dialog.getByLabel('Grace period', { exact: true }), /^1 day$/);
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expectVisible(dialog.getByRole('button', { name: 'Copy', exact: true }));
  const token = await shownToken(dialog);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expectHidden(openDialog(page));
  await expectPageText(page, countText(4, 256));
  expect(await tokenRow(page, 'Nightly export').count()).toBe(2);
  expect(await apiStatus({ email: acme.adminAuth.email, token: nightly!.token })).toBe(200);
  expect(await apiStatus({ email: acme.adminAuth.email, token })).toBe(200);

  // At the limit a grace is refused (the new token needs a slot), and the dialog says why.
  const stored = (await suite.stack.accounts.getAccount(acme.accountId))!;
  await suite.stack.table.store.updateAccount(stored, { tokenLimit: stored.tokenCount }, new Date().toISOString(), []);
  dialog = await chooseOption(page, 'Spare', 'Rotate');
  await selectOptionMatching(dialog.getByLabel('Grace period', { exact: true }), /^1 hour$/);
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expectVisible(dialog.getByText(/has reached its limit of 4 API tokens/));
  await expectAccessibleInBothSchemes(page, 'Rotate dialog, refused');
});
