// A legacy account at its 2,048-token limit, in Chromium against the local stack: the list renders, counts
// against the legacy limit, filters by text and by status, and stays usable after (functional checks only:
// the time it takes is the benchmark's, bench/console.ts).
import { provisionAccount } from '../support/api-stack';
import { eventually, expectEnabled, expectPageText, expectVisible } from '../support/browser';
import {
  addTokenButton,
  columnTexts,
  countText,
  expectStatus,
  openMenu,
  openOptions,
  selectOptionMatching,
  signIn,
  tokenRow,
} from '../support/console-flows';
import { consoleSuite } from '../support/console-suite';
import { seedTokens, tokenSeeds } from '../support/console-stack';

const suite = consoleSuite();

test('2,048 tokens: the list renders with its count, filters by text and status, and stays usable', async () => {
  const legacy = await provisionAccount(suite.stack, 'legacy', { legacy: true });
  // Numbered 0001–2047 (four digits), every tenth deactivated, and one to look for.
  const seeds = tokenSeeds(2046, 'Integration', (index) => ({
    description: `Integration ${String(index + 1).padStart(4, '0')}`,
    active: (index + 1) % 10 !== 0,
  }));
  await seedTokens(suite.stack, legacy.accountId, [...seeds, { description: 'Needle in the haystack', createdAt: new Date(Date.now() - 86_400_000 * 900) }]);

  const { page } = await suite.open();
  await signIn(page, suite.stack.consoleUrl, legacy.adminAuth);
  await expectPageText(page, countText(2048, 2048), 30_000);
  await expectEnabled(addTokenButton(page), false);

  const search = page.getByRole('searchbox').or(page.getByRole('textbox', { name: /filter|search/i })).first();
  await search.fill('Needle');
  await eventually(async () => expect(await columnTexts(page, 'Description')).toEqual(['Needle in the haystack']));
  await expectVisible(tokenRow(page, 'Needle in the haystack'));

  await search.fill('Integration 199');
  const tens = Array.from({ length: 10 }, (_, index) => `Integration ${1990 + index}`);
  await eventually(async () => expect(new Set(await columnTexts(page, 'Description'))).toEqual(new Set(tens)));

  const status = page.getByRole('combobox', { name: /status/i });
  await selectOptionMatching(status, /^Deactivated$/);
  await eventually(async () => expect(await columnTexts(page, 'Description')).toEqual(['Integration 1990']));
  await selectOptionMatching(status, /^Active$/);
  await eventually(async () => expect(new Set(await columnTexts(page, 'Description'))).toEqual(new Set(tens.slice(1))));

  // Every row shown with only the status filter is deactivated.
  await search.fill('');
  await selectOptionMatching(status, /^Deactivated$/);
  await eventually(async () => {
    const statuses = await columnTexts(page, 'Status');
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['Deactivated']));
  });

  // Still usable: a row's options menu opens and closes.
  await selectOptionMatching(status, /^(All|Any)/i);
  await search.fill('Integration 0007');
  await expectStatus(page, 'Integration 0007', 'Active');
  await openOptions(page, 'Integration 0007');
  await page.keyboard.press('Escape');
  await eventually(async () => expect(await openMenu(page).isVisible()).toBe(false));
});
