// The browser tests' Chromium (scripts/chromium.ts: the system's chromium, or CHROMIUM_PATH, driven by
// playwright-core, headless, on a fresh profile). One browser per test file; each test opens
// its own context (fresh storage, like a new tab in a new profile). Also what those tests assert with:
// retried expectations (playwright-core has no `expect` of its own), the Basic-auth prompt detector,
// axe checks, and reads of what a page keeps (storage, history, form values).
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { DESKTOP_VIEWPORT, launchChromium, newBrowserContext } from '../../scripts/chromium';
import type { PageGlobals, PageNode, PageStorageArea } from '../../scripts/page-globals';

export { DESKTOP_VIEWPORT as DESKTOP, NARROW_VIEWPORT as NARROW } from '../../scripts/chromium';

/** A full API token anywhere in a text: `apit_{account}_{id}_{secret}{checksum}`. */
export const FULL_TOKEN_PATTERN = /apit_[a-z0-9]{3,32}_[0-9]{1,16}_[0-9A-Za-z]{36}/g;

export const launchBrowser = launchChromium;

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** The page's uncaught exceptions and unhandled rejections: each one fails the test (console-suite.ts). */
  uncaughtErrors: string[];
  /** Native dialogs (alert, confirm, prompt, beforeunload) the page opened; each was dismissed. */
  nativeDialogs: string[];
  /** URLs of requests that met an HTTP authentication challenge: the browser's own Basic-auth prompt. */
  authPrompts: string[];
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/**
 * Watches for the browser's own HTTP authentication prompt. Chromium raises an auth challenge (which a
 * person sees as the Basic-auth dialog) for a 401 with `WWW-Authenticate` only when the request carried
 * the browser's credentials; CDP's Fetch domain reports each challenge as `authRequired`, and this
 * cancels it, as a person pressing Cancel would.
 */
async function watchAuthPrompts(context: BrowserContext, page: Page, prompts: string[]): Promise<CDPSession> {
  const session = await context.newCDPSession(page);
  session.on('Fetch.requestPaused', (event: { requestId: string }) => {
    session.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => undefined);
  });
  session.on('Fetch.authRequired', (event: { requestId: string; request: { url: string } }) => {
    prompts.push(event.request.url);
    session.send('Fetch.continueWithAuth', { requestId: event.requestId, authChallengeResponse: { response: 'CancelAuth' } }).catch(() => undefined);
  });
  await session.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*/api/*' }] });
  return session;
}

/** A new context and page: fresh storage, the clipboard allowed (for Copy), the auth-prompt detector on. */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<ConsolePage> {
  // In UTC and en-US: times in the page read the same as the test computes them.
  const context = await newBrowserContext(browser, {
    viewport: options.viewport ?? DESKTOP_VIEWPORT,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const opened: ConsolePage = { context, page, uncaughtErrors: [], nativeDialogs: [], authPrompts: [] };
  page.on('pageerror', (error) => opened.uncaughtErrors.push(error.message));
  page.on('dialog', (dialog) => {
    opened.nativeDialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  await watchAuthPrompts(context, page, opened.authPrompts);
  return opened;
}

const DEFAULT_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Runs `assertion` until it passes or `timeoutMs` has passed, then throws its last failure: the UI
 * updates asynchronously, and a check made once would race it.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** Waits until the locator is visible, then asserts it; a failure names the locator. */
export async function expectVisible(locator: Locator, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => undefined);
  expect({ locator: String(locator), visible: await locator.first().isVisible() }).toEqual({ locator: String(locator), visible: true });
}

/** Waits until nothing the locator matches is visible. */
export async function expectHidden(locator: Locator, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => undefined);
  expect({ locator: String(locator), visible: await locator.first().isVisible() }).toEqual({ locator: String(locator), visible: false });
}

export const expectEnabled = (locator: Locator, enabled = true) =>
  eventually(async () => expect({ locator: String(locator), enabled: await locator.isEnabled() }).toEqual({ locator: String(locator), enabled }));

/** The visible text of the whole page (what a reader sees, not hidden nodes). */
export const pageText = (page: Page) => page.locator('body').innerText();

export async function expectPageText(page: Page, pattern: RegExp | string, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  await eventually(async () => {
    const text = await pageText(page);
    if (typeof pattern === 'string') expect(text).toContain(pattern);
    else expect(text).toMatch(pattern);
  }, timeoutMs);
}

/**
 * A control's accessible description and error message as assistive technology reads them: the texts of
 * the elements `aria-describedby` and `aria-errormessage` name, and `aria-description`.
 */
export function accessibleDescription(locator: Locator): Promise<string> {
  return locator.evaluate((element: PageNode) => {
    const referenced = ['aria-describedby', 'aria-errormessage'].flatMap((attribute) => (element.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean));
    const texts = referenced.map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '');
    return [...texts, element.getAttribute('aria-description') ?? ''].join(' ').replace(/\s+/g, ' ').trim();
  });
}

/** True when the element that has focus is (or is inside) the locator's element. */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element: PageNode) => {
    const { document } = globalThis as unknown as PageGlobals;
    return element === document.activeElement || element.contains(document.activeElement);
  });
}

/** Presses `key` until `target` has focus; fails after `maxPresses`. */
export async function pressUntilFocused(page: Page, key: string, target: Locator, maxPresses = 40): Promise<void> {
  for (let press = 0; press < maxPresses; press += 1) {
    if (await hasFocus(target)) break;
    await page.keyboard.press(key);
  }
  expect(await hasFocus(target)).toBe(true);
}

/** What the page keeps that a token could hide in, besides its HTML. */
export interface PageStorage {
  sessionStorage: string;
  localStorage: string;
  historyState: string;
  /** Every entry of the tab's history: its URL and title. */
  historyEntries: string[];
  url: string;
  /** Values of every input, textarea and select (the HTML holds only their initial values). */
  formValues: string[];
  cookies: string;
}

export async function pageStorage(opened: ConsolePage): Promise<PageStorage> {
  const { page, context } = opened;
  const inPage = await page.evaluate(() => {
    const { document, sessionStorage, localStorage, history } = globalThis as unknown as PageGlobals;
    const dump = (storage: PageStorageArea) => JSON.stringify(Object.fromEntries(Object.keys(storage).map((key) => [key, storage.getItem(key)])));
    const controls = [...document.querySelectorAll('input, textarea, select')];
    return {
      sessionStorage: dump(sessionStorage),
      localStorage: dump(localStorage),
      historyState: JSON.stringify(history.state ?? null),
      formValues: controls.map((control) => control.value),
    };
  });
  const session = await context.newCDPSession(page);
  try {
    const history = (await session.send('Page.getNavigationHistory')) as { entries: { url: string; title: string }[] };
    return {
      ...inPage,
      historyEntries: history.entries.map((entry) => `${entry.url} ${entry.title}`),
      url: page.url(),
      cookies: JSON.stringify(await context.cookies()),
    };
  } finally {
    await session.detach();
  }
}

/** Full tokens in a text. */
export const fullTokensIn = (text: string): string[] => [...text.matchAll(FULL_TOKEN_PATTERN)].map((match) => match[0]);

/** Rules whose outcome depends on colours: the only ones a change of colour scheme can change. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

export interface AxeScope {
  /** Only the colour rules (the rest was checked on the same page in the other scheme). */
  colourOnly?: boolean;
  /** CSS selectors of parts checked already in another state (e.g. all but the first rows of a long table). */
  exclude?: string[];
}

/**
 * Serious and critical axe violations of the page as it is now, as `rule: targets` lines. In legacy mode
 * (axe.run in the page; the console has no frames), asking for violations only: the default mode
 * aggregates in a page of its own and costs a second per check.
 */
export async function seriousAxeViolations(page: Page, scope: AxeScope = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  if (scope.colourOnly) builder = builder.withRules(COLOUR_RULES);
  for (const selector of scope.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/**
 * Axe on the page in the light colour scheme, then its colour rules in the dark one; each failure names
 * the state and the scheme.
 */
export async function expectAccessibleInBothSchemes(page: Page, state: string, exclude: string[] = []): Promise<void> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Let style changes that follow the media query settle (transitions are reduced).
    await page.evaluate(() => {
      const { requestAnimationFrame } = globalThis as unknown as PageGlobals;
      return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    });
    const violations = await seriousAxeViolations(page, { colourOnly: colorScheme === 'dark', exclude });
    found.push(...violations.map((violation) => `${state}, ${colorScheme}: ${violation}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(found).toEqual([]);
}

/** How far the page scrolls sideways: 0 when nothing is wider than the viewport. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const root = document.scrollingElement ?? document.documentElement;
    return Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
  });
}
