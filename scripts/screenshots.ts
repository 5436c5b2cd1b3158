// `npm run screenshots`: pictures of every page and dialog of the admin console, at 1280 × 800 and 360 px
// wide, in docs/screenshots/ under stable names (`{page}-desktop.png`, `{page}-360.png`). Starts its own
// DynamoDB Local (in memory, on a free port) and the local stack's emulator serving the console (built
// first when its build is missing or stale), seeds a realistic account (admins and an agent, tokens made
// and used over months, their audit history), drives Chromium through the console, and stops everything
// it started — Java included — at the end, on failure and on Ctrl-C.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { consoleSite } from '../local/admin-console';
import { ensureTable, freePort, startDynamoDbLocal } from '../local/dynamodb-local';
import { createEmulator } from '../local/emulator';
import type { ActorContext } from '../shared/domain/audit-entries';
import type { User } from '../shared/domain/model';
import { CONSOLE_PATH } from '../shared/http/console-headers';
import { createServices, getServices } from '../shared/runtime/services';
import { tokenKey } from '../shared/store/keys';
import { DESKTOP_VIEWPORT, NARROW_VIEWPORT, launchChromium, newBrowserContext } from './chromium';
import { CONSOLE_BUILD_DIRECTORY, ensureConsoleBuilt } from './console-build';
import { seedTokens, tokenSeeds } from './token-fixtures';

const OUTPUT_DIRECTORY = join(__dirname, '..', 'docs', 'screenshots');
const TABLE_NAME = 'screenshots';
const WAIT_MS = 20_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;

type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop()!;
    await Promise.resolve()
      .then(cleanup)
      .catch((error: unknown) => process.stderr.write(`screenshots: cleanup failed: ${String(error)}\n`));
  }
}

const say = (line: string) => process.stderr.write(`screenshots: ${line}\n`);

interface Credentials {
  email: string;
  token: string;
}

interface Scenes {
  admin: Credentials;
  agent: Credentials;
  /** An account at its 256-token limit. */
  full: Credentials;
  /** One account per walk whose token access the walk turns off. */
  killSwitch: Credentials[];
}

/** A user's change, as it arrives through the API: the actor, the token it used, where from. */
const asUser = (user: User, apiTokenId: number, ipAddress: string): ActorContext => ({
  actor: { kind: 'user', userId: user.userId, name: user.name, email: user.email, role: user.role, apiTokenId },
  request: { ipAddress, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36' },
});

/** The Acme account as months of use leave it, with changes made at their own times. */
async function seedScenes(): Promise<Scenes> {
  const { config, store, documentClient, accounts: operatorAccounts } = getServices();
  let now = Date.now() - 400 * DAY;
  const { accounts, tokens } = createServices(config, store, () => new Date(now));
  const operator: ActorContext = { actor: { kind: 'operator' }, request: { ipAddress: null, userAgent: 'tokenctl' } };
  const at = (daysAgo: number, hoursAgo = 0) => (now = Date.now() - daysAgo * DAY - hoursAgo * HOUR);
  const markUsed = (tokenId: number, daysAgo: number, hoursAgo = 0) =>
    documentClient.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: tokenKey('acme', tokenId),
        UpdateExpression: 'SET lastUsedAt = :at',
        ExpressionAttributeValues: { ':at': new Date(Date.now() - daysAgo * DAY - hoursAgo * HOUR).toISOString() },
      }),
    );

  at(400);
  await accounts.createAccount(operator, { accountId: 'acme', name: 'Acme Support', plan: 'enterprise', legacy: false, apiTokenAccess: true });
  const ada = await accounts.addUser(operator, { accountId: 'acme', email: 'ada@acme.test', name: 'Ada Lovelace', role: 'admin', verified: true });
  const first = await tokens.create({ ...operator, accountId: 'acme' }, 'Console sign-in');
  at(380);
  const grace = await accounts.addUser(operator, { accountId: 'acme', email: 'grace@acme.test', name: 'Grace Hopper', role: 'admin', verified: true });
  await accounts.addUser(operator, { accountId: 'acme', email: 'alan@acme.test', name: 'Alan Turing', role: 'agent', verified: true });
  const byAda = (daysAgo: number) => (at(daysAgo), { ...asUser(ada, first.apiToken.tokenId, '203.0.113.24'), accountId: 'acme' });
  const byGrace = (daysAgo: number) => (at(daysAgo), { ...asUser(grace, first.apiToken.tokenId, '198.51.100.7'), accountId: 'acme' });

  const webhook = await tokens.create(byAda(210), 'Webhook relay');
  const slack = await tokens.create(byAda(120), 'Slack notifications');
  const salesforce = await tokens.create(byGrace(90), 'Salesforce sync');
  const nightly = await tokens.create(byAda(60), 'Nightly export');
  await tokens.update(byAda(58), nightly.apiToken.tokenId, { description: 'Nightly export to S3' });
  await tokens.create(byGrace(30), 'Helpdesk widget');
  at(15);
  await tokens.create({ ...operator, accountId: 'acme' }, null);
  await tokens.update(byGrace(12), webhook.apiToken.tokenId, { description: 'Old webhook relay' });
  await tokens.update(byGrace(10), webhook.apiToken.tokenId, { active: false });
  await Promise.all([
    markUsed(webhook.apiToken.tokenId, 40),
    markUsed(slack.apiToken.tokenId, 0, 0.1),
    markUsed(salesforce.apiToken.tokenId, 0, 2),
    markUsed(nightly.apiToken.tokenId, 1),
  ]);

  // An account at its limit, and the accounts whose kill switch the walks turn.
  const provision = async (accountId: string, name: string) => {
    await operatorAccounts.createAccount(operator, { accountId, name, plan: 'enterprise', legacy: false, apiTokenAccess: true });
    await operatorAccounts.addUser(operator, { accountId, email: `ada@${accountId}.test`, name: 'Ada Lovelace', role: 'admin', verified: true });
    const { token } = await getServices().tokens.create({ ...operator, accountId }, 'Console sign-in');
    return { email: `ada@${accountId}.test`, token };
  };
  const full = await provision('globex', 'Globex');
  await seedTokens({ documentClient, tableName: config.tableName, accounts: operatorAccounts }, 'globex', tokenSeeds(255, 'Store integration'));
  const killSwitch = [await provision('initech', 'Initech'), await provision('umbrella', 'Umbrella')];
  return { admin: { email: ada.email, token: first.token }, agent: { email: 'alan@acme.test', token: first.token }, full, killSwitch };
}

// ---- the walk through the console ---------------------------------------------------------------------

const visible = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: WAIT_MS });
const hidden = (locator: Locator) => locator.first().waitFor({ state: 'hidden', timeout: WAIT_MS });

class Walk {
  constructor(
    readonly page: Page,
    private readonly consoleUrl: string,
    private readonly suffix: string,
  ) {}

  async shot(name: string): Promise<void> {
    // No hover highlight from the last click; then a frame, so that what a step changed is painted.
    await this.page.mouse.move(0, (this.page.viewportSize()?.height ?? 1) - 1);
    await this.page.evaluate(() => new Promise((done) => (globalThis as unknown as { requestAnimationFrame(callback: () => void): void }).requestAnimationFrame(() => setTimeout(done, 50))));
    await this.page.screenshot({ path: join(OUTPUT_DIRECTORY, `${name}-${this.suffix}.png`), animations: 'disabled', caret: 'hide' });
    say(`${name}-${this.suffix}.png`);
  }

  dialog = () => this.page.getByRole('dialog');
  button = (name: string, within: Page | Locator = this.page) => within.getByRole('button', { name, exact: true });
  heading = (name: string) => this.page.getByRole('heading', { name, exact: true });

  /** Signs in; the console returns to the page its URL names (the one the last sign-out left). */
  async signIn(credentials: Credentials, landing: Locator | null = this.button('Sign out')): Promise<void> {
    if (!this.page.url().startsWith(this.consoleUrl)) await this.page.goto(this.consoleUrl);
    await this.page.getByLabel('Email', { exact: true }).fill(credentials.email);
    await this.page.getByLabel('API token', { exact: true }).fill(credentials.token);
    await this.button('Sign in').click();
    if (landing) await visible(landing);
  }

  async signOut(): Promise<void> {
    await this.button('Sign out').click();
    await visible(this.page.getByLabel('Email', { exact: true }));
  }

  async nav(name: 'API tokens' | 'Audit log' | 'Settings'): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
    await visible(this.heading(name));
  }

  async option(token: string, item: string | RegExp): Promise<void> {
    await this.button(`Options for ${token}`).click();
    await visible(this.page.getByRole('menu'));
    if (item) await this.page.getByRole('menu').getByRole('menuitem', typeof item === 'string' ? { name: item, exact: true } : { name: item }).click();
  }

  async cancel(): Promise<void> {
    await this.button('Cancel', this.dialog()).click();
    await hidden(this.dialog());
  }
}

type Viewport = { width: number; height: number };

async function openWalk(browser: Browser, consoleUrl: string, viewport: Viewport, suffix: string): Promise<Walk> {
  const context = await newBrowserContext(browser, { viewport, reducedMotion: 'reduce' });
  return new Walk(await context.newPage(), consoleUrl, suffix);
}

async function walkThrough(browser: Browser, consoleUrl: string, scenes: Scenes, viewport: Viewport, suffix: string, killSwitch: Credentials): Promise<Walk> {
  const walk = await openWalk(browser, consoleUrl, viewport, suffix);
  const { page } = walk;

  await page.goto(consoleUrl);
  await visible(page.getByLabel('Email', { exact: true }));
  await walk.shot('sign-in');
  await walk.signIn({ email: scenes.admin.email, token: `${scenes.admin.token.slice(0, -1)}${scenes.admin.token.endsWith('A') ? 'B' : 'A'}` }, null);
  await visible(page.getByText("Couldn't authenticate you"));
  await walk.shot('sign-in-error');

  await walk.signIn(scenes.admin);
  await visible(walk.heading('API tokens'));
  await visible(page.getByRole('row').filter({ hasText: 'Old webhook relay' }));
  await walk.shot('api-tokens');
  await walk.option('Salesforce sync', '');
  await walk.shot('options-menu');
  await page.keyboard.press('Escape');

  await walk.button('Add API token').click();
  await visible(walk.dialog());
  await walk.dialog().getByLabel('Description', { exact: true }).fill('Zapier automation');
  await walk.shot('add-token');
  await walk.button('Save', walk.dialog()).click();
  await visible(walk.button('Copy', walk.dialog()));
  await walk.shot('token-created');
  await walk.button('Save', walk.dialog()).click();
  await hidden(walk.dialog());

  await walk.option('Nightly export to S3', 'Edit');
  await visible(walk.dialog());
  await walk.shot('edit-token');
  await walk.dialog().getByLabel('Description', { exact: true }).fill('Nightly\u200Bexport');
  await walk.button('Save', walk.dialog()).click();
  await visible(walk.dialog().locator('[aria-invalid="true"]'));
  await walk.shot('edit-token-error');
  await walk.cancel();

  await walk.option('Helpdesk widget', 'Deactivate');
  await visible(walk.dialog());
  await walk.shot('deactivate-token');
  await walk.cancel();
  await walk.option('Old webhook relay', 'Reactivate');
  await visible(walk.dialog());
  await walk.shot('reactivate-token');
  await walk.cancel();
  await walk.option('Old webhook relay', 'Delete');
  await visible(walk.dialog());
  await walk.shot('delete-token');
  await walk.cancel();
  await walk.option('Nightly export to S3', 'Rotate');
  await visible(walk.dialog());
  await walk.shot('rotate-token');
  await walk.cancel();

  await page.getByRole('row').filter({ hasText: 'Salesforce sync' }).getByText('Salesforce sync', { exact: true }).click();
  await visible(page.getByText('Grace Hopper'));
  await walk.shot('token-detail');
  await walk.nav('API tokens');

  await walk.option('Old webhook relay', /^View audit log/);
  await visible(walk.heading('Audit log'));
  await visible(page.getByRole('table'));
  await walk.shot('audit-log-token');
  await walk.nav('Audit log');
  await visible(page.getByRole('table'));
  await walk.shot('audit-log');

  await walk.nav('Settings');
  await walk.shot('settings');
  await page.getByRole('switch', { name: 'API token access' }).or(page.getByRole('checkbox', { name: 'API token access' })).click();
  await visible(walk.dialog());
  await walk.shot('settings-turn-off');
  await walk.cancel();
  await walk.signOut();

  await walk.signIn(scenes.agent, page.getByText('Only administrators can manage API tokens'));
  // The agent is not signed in: the form stays, with the message.
  await walk.shot('agent-signed-in');

  // Other accounts, each in a tab of its own, as their admins would see them.
  const full = await openWalk(browser, consoleUrl, viewport, suffix);
  await full.signIn(scenes.full);
  await visible(full.page.getByText(/256 of 256 tokens/));
  await full.shot('limit-reached');
  await full.page.context().close();

  const kill = await openWalk(browser, consoleUrl, viewport, suffix);
  await kill.signIn(killSwitch);
  await kill.nav('Settings');
  await kill.page.getByRole('switch', { name: 'API token access' }).or(kill.page.getByRole('checkbox', { name: 'API token access' })).click();
  await visible(kill.dialog());
  await kill.dialog().getByRole('button', { name: /^(Turn (it )?off|Turn off access|Confirm|Disable)/i }).click();
  await visible(kill.page.getByLabel('Email', { exact: true }));
  await kill.shot('signed-out-access-off');
  await kill.page.context().close();

  // Left signed in on the tokens page for the outage, pictured last.
  await walk.signIn(scenes.admin);
  await walk.nav('API tokens');
  return walk;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const built = ensureConsoleBuilt();
  built.catch(() => undefined);
  say('starting DynamoDB Local (in memory, free port)');
  const dynamodb = await startDynamoDbLocal({ port: await freePort() });
  cleanups.push(() => dynamodb.stop());
  await ensureTable(dynamodb.endpoint, TABLE_NAME);
  Object.assign(process.env, { DYNAMODB_ENDPOINT: dynamodb.endpoint, TABLE_NAME, AWS_REGION: 'us-east-1' });
  cleanups.push(() => getServices().documentClient.destroy());
  const scenes = await seedScenes();
  if (await built) say('built the console');
  const emulator = createEmulator({ site: consoleSite(CONSOLE_BUILD_DIRECTORY) });
  emulator.preload();
  const url = await emulator.listen(0);
  cleanups.push(() => emulator.close());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  mkdirSync(OUTPUT_DIRECTORY, { recursive: true });

  const consoleUrl = `${url}${CONSOLE_PATH}`;
  const walks = [
    await walkThrough(browser, consoleUrl, scenes, DESKTOP_VIEWPORT, 'desktop', scenes.killSwitch[0]!),
    await walkThrough(browser, consoleUrl, scenes, NARROW_VIEWPORT, '360', scenes.killSwitch[1]!),
  ];
  say('stopping DynamoDB Local for the outage');
  await dynamodb.stop();
  for (const walk of walks) {
    await walk.page.getByRole('navigation').getByRole('link', { name: 'Audit log', exact: true }).click();
    await visible(walk.button('Retry'));
    await walk.shot('service-unavailable');
  }
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    say(`${signal}: stopping everything`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    if (!stopping) process.stderr.write(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
