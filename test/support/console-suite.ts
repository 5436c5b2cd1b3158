// The frame of a browser test file: one stack and one browser for the file (beforeAll), a fresh context
// per page a test opens, closed after the test (which fails if the page threw); everything stopped in
// afterAll.
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, type ConsolePage, type PageOptions } from './browser';
import { startConsoleStack, type ConsoleStack, type ConsoleStackOptions } from './console-stack';

export interface ConsoleSuite {
  readonly stack: ConsoleStack;
  readonly browser: Browser;
  /** A new page in a new context (fresh storage), closed after the test. */
  open(options?: PageOptions): Promise<ConsolePage>;
}

/** Registers the file's hooks; the returned object is usable inside tests. */
export function consoleSuite(options: ConsoleStackOptions = {}): ConsoleSuite {
  let stack: ConsoleStack | undefined;
  let browser: Browser | undefined;
  const pages: ConsolePage[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(options), launchBrowser()]);
  });

  // Closes the test's pages; an uncaught exception in any of them fails the test.
  afterEach(async () => {
    const open = pages.splice(0);
    await Promise.all(open.map((opened) => opened.context.close().catch(() => undefined)));
    expect(open.flatMap((opened) => opened.uncaughtErrors)).toEqual([]);
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await stack?.close();
    }
  });

  return {
    get stack() {
      if (!stack) throw new Error('the console stack is not started (use it inside a test)');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched (use it inside a test)');
      return browser;
    },
    async open(pageOptions) {
      if (!browser) throw new Error('the browser is not launched (use it inside a test)');
      const opened = await openPage(browser, pageOptions);
      pages.push(opened);
      return opened;
    },
  };
}

/** Lines of a stack trace, which no page of the console ever shows. */
export const STACK_TRACE = /\n\s+at .+:\d+:\d+|\bat [\w$.<>]+ \(.+:\d+:\d+\)/;
