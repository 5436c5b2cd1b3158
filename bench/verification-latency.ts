// 1. Verification latency: the authorizer handler in-process versus a bare consistent BatchGetItem of the
// same three items with the same client settings. A third variant, the store's own read
// (getAuthorizationItems: the request the authorizer sends, without the handler around it), splits any
// difference into "the request" and "the code around it". Calls are interleaved one by one, in an order
// that rotates at every step, so noise from DynamoDB Local, the JIT or the garbage collector falls on all
// variants alike.
import { atMost, row, type MeasurementResult, type Row } from './report';
import { elapsedMs, percentile, ratioOf, summarize } from './stats';

export type Call = () => Promise<unknown>;

export interface LatencyInputs {
  authorizer: Call;
  storeRead: Call;
  bareBatchGet: Call;
  /** Calls of each variant per round. */
  callsPerRound: number;
  warmupCalls: number;
  rounds: number;
}

const TARGET_RATIO = 1.15;
const MEASUREMENT = '1 verification latency';
const VARIANTS = ['authorizer', 'storeRead', 'bareBatchGet'] as const;
type Variant = (typeof VARIANTS)[number];
type Samples = Record<Variant, number[]>;

async function timed(call: Call): Promise<number> {
  const start = performance.now();
  await call();
  return elapsedMs(start);
}

/** `count` calls of each variant, interleaved, the first variant of each step rotating; latencies in ms. */
async function interleaved(inputs: LatencyInputs, count: number): Promise<Samples> {
  const samples: Samples = { authorizer: [], storeRead: [], bareBatchGet: [] };
  for (let step = 0; step < count; step += 1) {
    for (let offset = 0; offset < VARIANTS.length; offset += 1) {
      const variant = VARIANTS[(step + offset) % VARIANTS.length]!;
      samples[variant].push(await timed(inputs[variant]));
    }
  }
  return samples;
}

type PerRound = Record<`${Variant}P${50 | 99}`, number[]>;

function emptyPerRound(): PerRound {
  return { authorizerP50: [], authorizerP99: [], storeReadP50: [], storeReadP99: [], bareBatchGetP50: [], bareBatchGetP99: [] };
}

function latencyRows(perRound: PerRound): Row[] {
  const rows: Row[] = [];
  for (const p of [50, 99] as const) {
    const ratio = ratioOf(perRound[`authorizerP${p}`], perRound[`bareBatchGetP${p}`]);
    rows.push(
      row(MEASUREMENT, `authorizer handler p${p}`, 'ms', summarize(perRound[`authorizerP${p}`])),
      row(MEASUREMENT, `bare BatchGetItem p${p}`, 'ms', summarize(perRound[`bareBatchGetP${p}`])),
      row(MEASUREMENT, `ratio p${p}`, '×', ratio, atMost(ratio, TARGET_RATIO)),
      row(MEASUREMENT, `store read alone / bare p${p}`, '×', ratioOf(perRound[`storeReadP${p}`], perRound[`bareBatchGetP${p}`])),
    );
  }
  return rows;
}

export async function measureVerificationLatency(inputs: LatencyInputs): Promise<MeasurementResult> {
  await interleaved(inputs, inputs.warmupCalls);
  const perRound = emptyPerRound();
  for (let round = 0; round < inputs.rounds; round += 1) {
    const samples = await interleaved(inputs, inputs.callsPerRound);
    for (const variant of VARIANTS) {
      perRound[`${variant}P50`].push(percentile(samples[variant], 50));
      perRound[`${variant}P99`].push(percentile(samples[variant], 99));
    }
  }
  return {
    rows: latencyRows(perRound),
    details: { callsPerVariantPerRound: inputs.callsPerRound, warmupCalls: inputs.warmupCalls, perRound },
  };
}
