// The Chromium the browser tests, `npm run screenshots` and the console benchmark drive: the system's
// chromium package (CHROMIUM_PATH to use another), through playwright-core, which downloads no browser.
// Headless on a fresh profile, with none of Chromium's own traffic (updates, sync, field trials), so
// that only the page's requests reach the network.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;
export const NARROW_VIEWPORT = { width: 360, height: 740 } as const;

export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`Chromium did not start from ${CHROMIUM_PATH} (install the chromium package, or set CHROMIUM_PATH): ${reason}`, { cause: error });
  }
}

/**
 * A context (its own cache, storage and cookies: a first visit) in en-US and UTC, so that what pages show
 * reads the same from run to run. tsx compiles functions with esbuild's keepNames, which wraps named
 * inner functions in `__name(...)`: functions a script passes to page.evaluate then call a helper the page
 * lacks, so the page gets a stand-in (it is not subject to the page's CSP, and changes nothing else).
 */
export async function newBrowserContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: DESKTOP_VIEWPORT, locale: 'en-US', timezoneId: 'UTC', ...options });
  await context.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
  return context;
}
