// 9. Leak reports: the time to the answer of a report of one unknown token, one malformed string, one
// already-deactivated token and one active token, side by side in each round, as ratios of medians against
// the unknown-token report. With the response floor (its production value) the four must be within noise of
// each other (target 1 ± 0.05): nothing in the timing tells them apart. Without the floor, the same reports
// show the difference the floor hides (for information: the active token's read and write).
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { proxyEventOf } from '../local/gateway-events';
import { RouteTable } from '../local/route-table';
import type { ApiHandler } from '../shared/http/handler';
import { routeList, routes } from '../shared/http/routes';
import { row, type MeasurementResult, type Target } from './report';
import { median, ratioOf, summarize, type Summary } from './stats';

export const LEAK_REPORT_VARIANTS = ['unknown', 'malformed', 'deactivated', 'active'] as const;
export type LeakReportVariant = (typeof LEAK_REPORT_VARIANTS)[number];

export interface LeakReportInputs {
  /** The route's handler with the production floor, and with none. */
  floored: ApiHandler;
  unfloored: ApiHandler;
  /** The string a variant's report holds; `active` gives a new active token on every call. */
  reportedToken: (variant: LeakReportVariant) => Promise<string>;
  /** Per round: slots of the floored reports (the four variants at once in each), and calls of each variant without the floor. */
  flooredSlots: number;
  unflooredCalls: number;
  rounds: number;
}

const MEASUREMENT = '9 leak reports';
const TOLERANCE = 0.05;

const within = (summary: Summary, center: number, tolerance: number): Target => ({
  text: `${center} ± ${tolerance}`,
  met: Math.abs(summary.median - center) <= tolerance,
});

const match = (() => {
  const lookup = new RouteTable(routeList).lookup(routes.reportLeakedTokens.method, routes.reportLeakedTokens.path);
  if (!lookup.found) throw new Error('the route table does not serve the leak-report route');
  return lookup.match;
})();

/** The event the emulator would hand the handler for a report of `token`. */
function reportEvent(token: string): APIGatewayProxyEvent {
  const body = Buffer.from(JSON.stringify({ tokens: [token] }), 'utf8');
  return proxyEventOf(
    {
      requestId: randomUUID(),
      receivedAt: new Date(),
      method: 'POST',
      path: routes.reportLeakedTokens.path,
      rawQuery: '',
      headerPairs: [['Content-Type', 'application/json'], ['User-Agent', 'bench']],
      body,
      sourceIp: '203.0.113.9',
      origin: 'http://127.0.0.1:3000',
    },
    match,
    undefined,
  );
}

/** Milliseconds to the answer of one report, which must be the 202 every report gets. */
async function timedReport(handler: ApiHandler, token: string): Promise<number> {
  const event = reportEvent(token);
  const started = performance.now();
  const response = await handler(event);
  const elapsed = performance.now() - started;
  if (response.statusCode !== 202) throw new Error(`a leak report answered ${response.statusCode}: ${response.body}`);
  return elapsed;
}

type Samples = Record<LeakReportVariant, number[]>;
const noSamples = (): Samples => ({ unknown: [], malformed: [], deactivated: [], active: [] });

/** One round with the floor: in each slot the four reports are sent at once, each timed on its own. */
async function flooredRound(inputs: LeakReportInputs): Promise<Samples> {
  const samples = noSamples();
  for (let slot = 0; slot < inputs.flooredSlots; slot += 1) {
    const tokens = await Promise.all(LEAK_REPORT_VARIANTS.map((variant) => inputs.reportedToken(variant)));
    const times = await Promise.all(tokens.map((token) => timedReport(inputs.floored, token)));
    LEAK_REPORT_VARIANTS.forEach((variant, index) => samples[variant].push(times[index]!));
  }
  return samples;
}

/** One round without the floor: the variants one after the other, the order turning from call to call. */
async function unflooredRound(inputs: LeakReportInputs): Promise<Samples> {
  const samples = noSamples();
  for (let call = 0; call < inputs.unflooredCalls; call += 1) {
    for (let index = 0; index < LEAK_REPORT_VARIANTS.length; index += 1) {
      const variant = LEAK_REPORT_VARIANTS[(call + index) % LEAK_REPORT_VARIANTS.length]!;
      const token = await inputs.reportedToken(variant);
      samples[variant].push(await timedReport(inputs.unfloored, token));
    }
  }
  return samples;
}

export async function measureLeakReports(inputs: LeakReportInputs): Promise<MeasurementResult> {
  const perRound = { floored: [] as Record<LeakReportVariant, number>[], unfloored: [] as Record<LeakReportVariant, number>[] };
  // Warm-up: the modules, the JIT and DynamoDB Local, outside the figures.
  await unflooredRound({ ...inputs, unflooredCalls: 2 });
  const mediansOf = (samples: Samples) => Object.fromEntries(LEAK_REPORT_VARIANTS.map((variant) => [variant, median(samples[variant])])) as Record<LeakReportVariant, number>;
  for (let round = 0; round < inputs.rounds; round += 1) {
    perRound.floored.push(mediansOf(await flooredRound(inputs)));
    perRound.unfloored.push(mediansOf(await unflooredRound(inputs)));
  }
  const series = (kind: keyof typeof perRound, variant: LeakReportVariant) => perRound[kind].map((medians) => medians[variant]);
  const ratio = (kind: keyof typeof perRound, variant: LeakReportVariant) => ratioOf(series(kind, variant), series(kind, 'unknown'));
  const compared = LEAK_REPORT_VARIANTS.filter((variant) => variant !== 'unknown');
  return {
    rows: [
      row(MEASUREMENT, 'unknown token, with the floor', 'ms', summarize(series('floored', 'unknown'))),
      ...compared.map((variant) => {
        const summary = ratio('floored', variant);
        return row(MEASUREMENT, `${variant} / unknown, with the floor`, '×', summary, within(summary, 1, TOLERANCE));
      }),
      row(MEASUREMENT, 'unknown token, without the floor', 'ms', summarize(series('unfloored', 'unknown'))),
      ...compared.map((variant) => row(MEASUREMENT, `${variant} / unknown, without the floor`, '×', ratio('unfloored', variant))),
    ],
    details: { flooredSlots: inputs.flooredSlots, unflooredCalls: inputs.unflooredCalls, perRound },
  };
}
