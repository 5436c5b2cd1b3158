// 8. The admin console: how long a fresh tab takes from navigation to a usable API tokens list, for an
// account of 20 tokens and a legacy account of 2,048, and the size of what the browser downloads.
//
// Each run opens a new browser context (empty cache and storage, as a first visit), navigates to the
// console served by the local stack in a child process (bench/console-server.ts), signs in, and waits
// for the list. Times are taken inside the page (performance.now(), polled every animation frame), so
// the driver's round trips do not count:
// - form: navigation start → the sign-in form is on screen;
// - list: the Sign in click → the count ("N of M tokens") and the rows' options buttons are on screen and
//   the page paints the next frame (it is not busy);
// - interactive: form + list, i.e. navigation → a usable list without the time a person spends typing;
// - filter: typing a description into the filter → the table shows just that token;
// - longest task / blocking time: long tasks (> 50 ms) between the click and the list, the page's freezes.
// The two accounts alternate within each round; ratios are per round. The API's own time for the list
// (GET /api/v2/api_tokens.json from Node) is given beside them, as it is part of every figure.
// Bundle size: the built files under dist/admin-console/assets, raw and gzip (level 9), once.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { newBrowserContext } from '../scripts/chromium';
import type { PageGlobals } from '../scripts/page-globals';
import { row, type MeasurementResult, type Row } from './report';
import { elapsedMs, ratioOf, summarize } from './stats';

const MEASUREMENT = '8 admin console';
const WAIT_MS = 120_000;

export interface ConsoleAccount {
  /** How the account is named in the table, e.g. "2,048 tokens". */
  name: string;
  email: string;
  token: string;
  tokenCount: number;
  /** A description that exactly one of its tokens has: what the filter is asked for. */
  probe: string;
}

export interface ConsoleInputs {
  browser: Browser;
  /** The console's entry on the local stack, e.g. http://127.0.0.1:41234/admin/. */
  consoleUrl: string;
  baseUrl: string;
  /** The small account first, then the large one: ratios are large / small. */
  accounts: [ConsoleAccount, ConsoleAccount];
  rounds: number;
  /** The console's build directory. */
  buildDirectory: string;
}

interface RunFigures {
  formMs: number;
  listMs: number;
  interactiveMs: number;
  filterMs: number;
  longestTaskMs: number;
  blockingMs: number;
}

type BenchGlobals = PageGlobals & {
  consoleBench: { longTasks: { startTime: number; duration: number }[]; signInAt?: number; inputAt?: number };
};

/** Installed before the console's code: records long tasks, the Sign in click and the filter's input. */
function instrument(): void {
  const page = globalThis as unknown as BenchGlobals;
  const bench: BenchGlobals['consoleBench'] = { longTasks: [] };
  page.consoleBench = bench;
  new page.PerformanceObserver((list) => bench.longTasks.push(...list.getEntries().map(({ startTime, duration }) => ({ startTime, duration })))).observe({
    type: 'longtask',
    buffered: true,
  });
  page.document.addEventListener(
    'click',
    (event) => {
      const text = event.target?.textContent?.trim();
      if (text === 'Sign in') bench.signInAt ??= page.performance.now();
    },
    true,
  );
  page.document.addEventListener('input', (event) => {
    if (event.target?.getAttribute('type') === 'search' || /filter|search/i.test(event.target?.getAttribute('aria-label') ?? '') || event.target?.getAttribute('id')?.includes('filter')) {
      bench.inputAt ??= page.performance.now();
    }
  }, true);
}

/**
 * performance.now() at the first animation frame at which `probe` (run in the page, self-contained: it
 * returns the time when its condition holds, false until then) sees what it waits for.
 */
async function frameWhen(page: Page, probe: (argument: string) => number | false, argument = ''): Promise<number> {
  const handle = await page.waitForFunction(probe, argument, { polling: 'raf', timeout: WAIT_MS });
  return (await handle.jsonValue()) as number;
}

const formShown = (): number | false => {
  const { document, performance } = globalThis as unknown as PageGlobals;
  return [...document.querySelectorAll('button')].some((button) => button.textContent?.trim() === 'Sign in') && performance.now();
};

/** `count` is a pattern of the token count ("2,?048"). */
const listShown = (count: string): number | false => {
  const { document, performance } = globalThis as unknown as PageGlobals;
  // textContent runs the page's texts together: the count may follow a letter directly.
  const counted = new RegExp(`(?<![\\d,])${count} of [\\d,]+ tokens`).test(document.body.textContent ?? '');
  const options = [...document.querySelectorAll('button')].some((button) => (button.getAttribute('aria-label') ?? '').startsWith('Options for '));
  return counted && options && performance.now();
};

const onlyRow = (description: string): number | false => {
  const { document, performance } = globalThis as unknown as PageGlobals;
  const rows = [...document.querySelectorAll('table tbody tr')];
  return rows.length === 1 && (rows[0]!.textContent ?? '').includes(description) && performance.now();
};

async function oneRun(inputs: ConsoleInputs, account: ConsoleAccount): Promise<RunFigures> {
  const context = await newBrowserContext(inputs.browser);
  try {
    const page = await context.newPage();
    await page.addInitScript(instrument);
    await page.goto(inputs.consoleUrl);
    const formAt = await frameWhen(page, formShown);
    await page.getByLabel('Email', { exact: true }).fill(account.email);
    await page.getByLabel('API token', { exact: true }).fill(account.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const count = account.tokenCount.toLocaleString('en-US').replace(',', ',?');
    const listAt = await frameWhen(page, listShown, count);
    const search = page.getByRole('searchbox').or(page.getByRole('textbox', { name: /filter|search/i })).first();
    await search.fill(account.probe);
    const filteredAt = await frameWhen(page, onlyRow, account.probe);
    const recorded = await page.evaluate(() => (globalThis as unknown as BenchGlobals).consoleBench);
    if (recorded.signInAt === undefined || recorded.inputAt === undefined) throw new Error('the console benchmark did not see the Sign in click or the filter input');
    const during = recorded.longTasks.filter((task) => task.startTime + task.duration >= recorded.signInAt! && task.startTime <= listAt);
    return {
      formMs: formAt,
      listMs: listAt - recorded.signInAt,
      interactiveMs: formAt + (listAt - recorded.signInAt),
      filterMs: filteredAt - recorded.inputAt,
      longestTaskMs: Math.max(0, ...during.map((task) => task.duration)),
      blockingMs: during.reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0),
    };
  } finally {
    await context.close();
  }
}

/** The API alone: GET /api/v2/api_tokens.json from Node, as the console asks for it. */
async function apiListMs(inputs: ConsoleInputs, account: ConsoleAccount): Promise<number> {
  const authorization = `Basic ${Buffer.from(`${account.email}/token:${account.token}`).toString('base64')}`;
  const started = performance.now();
  const response = await fetch(`${inputs.baseUrl}/api/v2/api_tokens.json`, { headers: { Authorization: authorization } });
  const body = (await response.json()) as { api_tokens?: unknown[] };
  if (response.status !== 200 || body.api_tokens?.length !== account.tokenCount) throw new Error(`the API listed ${body.api_tokens?.length} tokens of ${account.name} (status ${response.status})`);
  return elapsedMs(started);
}

export interface BundleSize {
  files: number;
  raw: number;
  gzip: number;
}

/** The JS and the CSS the console's build ships (under assets/), raw and gzipped. */
export function bundleSizes(buildDirectory: string): Record<'js' | 'css', BundleSize> {
  const sizes = { js: { files: 0, raw: 0, gzip: 0 }, css: { files: 0, raw: 0, gzip: 0 } };
  const assets = join(buildDirectory, 'assets');
  for (const file of readdirSync(assets, { recursive: true, encoding: 'utf8' })) {
    const kind = { '.js': 'js', '.css': 'css' }[extname(file)] as 'js' | 'css' | undefined;
    if (!kind) continue;
    const content = readFileSync(join(assets, file));
    sizes[kind].files += 1;
    sizes[kind].raw += content.length;
    sizes[kind].gzip += gzipSync(content, { level: 9 }).length;
  }
  if (sizes.js.files === 0) throw new Error(`no JavaScript under ${assets}: is the console built?`);
  return sizes;
}

const FIGURES: { key: keyof RunFigures; figure: string }[] = [
  { key: 'formMs', figure: 'navigation → sign-in form' },
  { key: 'listMs', figure: 'Sign in → list interactive' },
  { key: 'interactiveMs', figure: 'navigation → list interactive (less typing)' },
  { key: 'filterMs', figure: 'filter → the one matching row' },
  { key: 'longestTaskMs', figure: 'longest task while listing' },
  { key: 'blockingMs', figure: 'blocking time while listing' },
];

export async function measureConsole(inputs: ConsoleInputs): Promise<MeasurementResult> {
  const [small, large] = inputs.accounts;
  // One run each first: the server's modules and DynamoDB Local's pages are warm for the measured ones.
  for (const account of inputs.accounts) await oneRun(inputs, account);
  const runs = new Map<string, RunFigures[]>(inputs.accounts.map((account) => [account.name, []]));
  const api = new Map<string, number[]>(inputs.accounts.map((account) => [account.name, []]));
  for (let round = 0; round < inputs.rounds; round += 1) {
    const order = round % 2 === 0 ? [small, large] : [large, small];
    for (const account of order) {
      runs.get(account.name)!.push(await oneRun(inputs, account));
      api.get(account.name)!.push(await apiListMs(inputs, account));
    }
  }
  const figures = (account: ConsoleAccount, key: keyof RunFigures) => runs.get(account.name)!.map((run) => run[key]);
  const rows: Row[] = [];
  for (const { key, figure } of FIGURES) {
    for (const account of inputs.accounts) rows.push(row(MEASUREMENT, `${figure}, ${account.name}`, 'ms', summarize(figures(account, key))));
    if (key === 'interactiveMs' || key === 'listMs' || key === 'filterMs') {
      rows.push(row(MEASUREMENT, `${figure}, ratio ${large.name} / ${small.name}`, '×', ratioOf(figures(large, key), figures(small, key))));
    }
  }
  for (const account of inputs.accounts) rows.push(row(MEASUREMENT, `API alone: GET /api_tokens.json, ${account.name}`, 'ms', summarize(api.get(account.name)!)));
  const bundle = bundleSizes(inputs.buildDirectory);
  const kib = (bytes: number) => summarize([Math.round((bytes / 1024) * 10) / 10]);
  const files = (count: number) => `${count} ${count === 1 ? 'file' : 'files'}`;
  rows.push(
    row(MEASUREMENT, `bundle JS (${files(bundle.js.files)}), raw`, 'KiB', kib(bundle.js.raw)),
    row(MEASUREMENT, 'bundle JS, gzip', 'KiB', kib(bundle.js.gzip)),
    row(MEASUREMENT, `bundle CSS (${files(bundle.css.files)}), raw`, 'KiB', kib(bundle.css.raw)),
    row(MEASUREMENT, 'bundle CSS, gzip', 'KiB', kib(bundle.css.gzip)),
    row(MEASUREMENT, 'bundle JS + CSS, gzip', 'KiB', kib(bundle.js.gzip + bundle.css.gzip)),
  );
  return {
    rows,
    details: {
      accounts: inputs.accounts.map(({ name, tokenCount, probe }) => ({ name, tokenCount, probe })),
      perRound: Object.fromEntries(runs),
      apiListMs: Object.fromEntries(api),
      bundleBytes: bundle,
    },
  };
}
