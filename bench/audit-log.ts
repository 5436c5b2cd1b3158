// 7. The audit log at two history sizes: each filter of GET /api/v2/audit_logs, its first page and a page
// deep into the history, against an account with a small and one with a ten times larger history. The
// two accounts' calls alternate one by one, so noise falls on both alike; the ratio large / small is taken
// per round. A listing that reads O(page size) items costs the same at both sizes (target ≤ 1.3 ×); one
// that reads the history grows with it. The items DynamoDB read per call (ScannedCount summed over the
// call's Queries) show the same independently of timing.
import type { PageKind } from './audit-history';
import { itemsRead, type CallCounter } from './call-counter';
import { atMost, formatGrid, formatNumber, row, type MeasurementResult, type Row } from './report';
import { elapsedMs, median, percentile, ratioOf, summarize, type Summary } from './stats';

export type ListCall = () => Promise<{ items: unknown[] }>;

export interface AuditLogVariant {
  filter: string;
  page: PageKind;
  small: ListCall;
  large: ListCall;
}

export interface AuditLogInputs {
  variants: AuditLogVariant[];
  /** Entries in the two histories. */
  sizes: { small: number; large: number };
  pageSize: number;
  /** Counts the calls of the client both accounts are read through. */
  counter: CallCounter;
  /** Per variant and round: at most this many pairs of calls (small, large), and no new pair after this time. */
  maxPairsPerRound: number;
  budgetMsPerRound: number;
  rounds: number;
  /** The time it took to write both histories. */
  setupMs: number;
  /** Filters whose first page has no target (the reference). */
  untargeted: readonly string[];
}

const MEASUREMENT = '7 audit log';
const TARGET_RATIO = 1.3;
const SIZES = ['small', 'large'] as const;
type Size = (typeof SIZES)[number];

interface Sample {
  ms: number;
  read: number;
  returned: number;
}

/** Per variant and size, one figure per round. */
interface Figures {
  p50: number[];
  p99: number[];
  read: number[];
  returned: number[];
}

const emptyFigures = (): Figures => ({ p50: [], p99: [], read: [], returned: [] });

async function sample(call: ListCall, counter: CallCounter): Promise<Sample> {
  counter.reset();
  const start = performance.now();
  const page = await call();
  return { ms: elapsedMs(start), read: itemsRead(counter), returned: page.items.length };
}

/**
 * One pass over the variants, in an order that rotates with `offset`: each variant's small and large calls
 * back to back (which goes first alternates), pair after pair until `budgetMs` has passed or `maxPairs`
 * pairs are done (at least one). A listing that reads the whole history gets one pair per round, a cheap
 * one many.
 */
async function interleaved(inputs: AuditLogInputs, offset: number, maxPairs: number, budgetMs: number): Promise<Record<Size, Sample[]>[]> {
  const samples = inputs.variants.map(() => ({ small: [] as Sample[], large: [] as Sample[] }));
  for (let position = 0; position < inputs.variants.length; position += 1) {
    const index = (offset + position) % inputs.variants.length;
    const variant = inputs.variants[index]!;
    const start = performance.now();
    for (let pair = 0; pair < maxPairs && (pair === 0 || elapsedMs(start) < budgetMs); pair += 1) {
      const order = (offset + pair) % 2 === 0 ? SIZES : ([...SIZES].reverse() as Size[]);
      for (const size of order) samples[index]![size].push(await sample(variant[size], inputs.counter));
    }
  }
  return samples;
}

const label = (entries: number) => (entries % 1000 === 0 ? `${entries / 1000}k` : String(entries));

type VariantFigures = Record<Size, Figures> & { pairs: number[] };

function ratioRows(inputs: AuditLogInputs, figures: VariantFigures[]): Row[] {
  const sizes = `${label(inputs.sizes.large)}/${label(inputs.sizes.small)}`;
  const rows: Row[] = [row(MEASUREMENT, `setup: ${inputs.sizes.small + inputs.sizes.large} entries written`, 's', summarize([inputs.setupMs / 1000]))];
  for (const page of ['first', 'deep'] as const) {
    inputs.variants.forEach((variant, index) => {
      if (variant.page !== page) return;
      const { small, large } = figures[index]!;
      const ratio = ratioOf(large.p50, small.p50);
      const targeted = page === 'first' && !inputs.untargeted.includes(variant.filter);
      rows.push(row(MEASUREMENT, `${page} page p50 ${sizes}: ${variant.filter}`, '×', ratio, targeted ? atMost(ratio, TARGET_RATIO) : undefined));
    });
  }
  return rows;
}

const cell = (summary: Summary, unit: string) => `${formatNumber(summary.median, unit)} ${unit}`.trim();
const spread = (summary: Summary, unit: string) =>
  summary.min === summary.max ? cell(summary, unit) : `${cell(summary, unit)} (${formatNumber(summary.min, unit)}–${formatNumber(summary.max, unit)})`;

/** The table under the main one: per filter and page, both sizes side by side. */
function breakdown(inputs: AuditLogInputs, figures: VariantFigures[]): string {
  const [small, large] = [label(inputs.sizes.small), label(inputs.sizes.large)];
  const header = [
    'filter',
    `p50 ${small}`,
    `p50 ${large}`,
    'ratio (min–max)',
    `p99 ${small}`,
    `p99 ${large}`,
    `read ${small}`,
    `read ${large}`,
    `returned ${small}/${large}`,
    'pairs/round',
  ];
  const sections = (['first', 'deep'] as const).map((page) => {
    const body = inputs.variants.flatMap((variant, index) => {
      if (variant.page !== page) return [];
      const { small: s, large: l } = figures[index]!;
      return [
        [
          variant.filter,
          cell(summarize(s.p50), 'ms'),
          cell(summarize(l.p50), 'ms'),
          spread(ratioOf(l.p50, s.p50), '×'),
          cell(summarize(s.p99), 'ms'),
          cell(summarize(l.p99), 'ms'),
          spread(summarize(s.read), ''),
          spread(summarize(l.read), ''),
          `${median(s.returned)}/${median(l.returned)}`,
          String(median(figures[index]!.pairs)),
        ],
      ];
    });
    const title =
      page === 'first'
        ? `first page (newest first; created_at: the newest tenth of the history)`
        : `deep page (after the entry 80 % into the history; created_at: the tenth before it)`;
    return `${title}\n${formatGrid(header, body)}`;
  });
  const partial = figures.some((entry) => median(entry.small.returned) < median(entry.large.returned));
  return [
    `Audit log, ${inputs.sizes.small} vs ${inputs.sizes.large} entries, page[size]=${inputs.pageSize}: p50 and p99 of a list call (medians over rounds),`,
    'items DynamoDB read per list call (ScannedCount summed over its Queries), entries returned, pairs of calls per round.',
    ...sections,
    ...(partial ? [`Some pages at ${small} are not full: that history holds fewer matching entries than a page, so its ratios compare unequal pages.`] : []),
  ].join('\n');
}

export async function measureAuditLog(inputs: AuditLogInputs): Promise<MeasurementResult> {
  // Warm-up: one pair of each variant.
  await interleaved(inputs, 0, 1, 0);
  const figures = inputs.variants.map(() => ({ small: emptyFigures(), large: emptyFigures(), pairs: [] as number[] }));
  for (let round = 0; round < inputs.rounds; round += 1) {
    const samples = await interleaved(inputs, round, inputs.maxPairsPerRound, inputs.budgetMsPerRound);
    samples.forEach((bySize, index) => {
      figures[index]!.pairs.push(bySize.small.length);
      for (const size of SIZES) {
        const target = figures[index]![size];
        const taken = bySize[size];
        target.p50.push(percentile(taken.map((entry) => entry.ms), 50));
        target.p99.push(percentile(taken.map((entry) => entry.ms), 99));
        target.read.push(median(taken.map((entry) => entry.read)));
        target.returned.push(median(taken.map((entry) => entry.returned)));
      }
    });
  }
  return {
    rows: ratioRows(inputs, figures),
    notes: breakdown(inputs, figures),
    details: {
      sizes: inputs.sizes,
      pageSize: inputs.pageSize,
      maxPairsPerRound: inputs.maxPairsPerRound,
      budgetMsPerRound: inputs.budgetMsPerRound,
      setupMs: inputs.setupMs,
      perRound: Object.fromEntries(inputs.variants.map((variant, index) => [`${variant.page} ${variant.filter}`, figures[index]])),
    },
  };
}
