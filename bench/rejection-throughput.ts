// 3. Rejecting garbage: requests per second the authorizer answers in-process, at a fixed number of
// callers in flight, for malformed and forged credentials versus valid ones. A flood of bad credentials
// must cost less than the same flood of good ones. Each round runs every variant for the same time, in
// an order that rotates from round to round.
import { above, row, type MeasurementResult, type Row } from './report';
import { elapsedMs, ratioOf, summarize } from './stats';

export type VariantKind = 'allowed' | 'malformed' | 'forged';

export interface ThroughputVariant {
  name: string;
  kind: VariantKind;
  call: () => Promise<void>;
}

export interface ThroughputInputs {
  variants: ThroughputVariant[];
  durationMs: number;
  concurrency: number;
  rounds: number;
}

const MEASUREMENT = '3 authorizer throughput';

/**
 * Completed calls per second with `concurrency` callers. Callers check the clock themselves: denials of
 * malformed credentials never wait on I/O, so a timer would never get to fire.
 */
async function requestsPerSecond(call: () => Promise<void>, durationMs: number, concurrency: number): Promise<number> {
  const start = performance.now();
  const deadline = start + durationMs;
  let completed = 0;
  const caller = async () => {
    while (performance.now() < deadline) {
      await call();
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return completed / (elapsedMs(start) / 1000);
}

const rotated = <T>(items: readonly T[], by: number): T[] => items.map((_, index) => items[(index + by) % items.length]!);

function rowsOf(variants: readonly ThroughputVariant[], perRound: Record<string, number[]>): Row[] {
  const allowed = variants.find((variant) => variant.kind === 'allowed');
  if (!allowed) throw new Error('the throughput measurement needs an allowed variant');
  const rows = variants.map((variant) => row(MEASUREMENT, `${variant.kind === 'allowed' ? 'allowed' : `denied: ${variant.name}`}`, 'req/s', summarize(perRound[variant.name]!)));
  for (const variant of variants.filter((candidate) => candidate.kind !== 'allowed')) {
    const ratio = ratioOf(perRound[variant.name]!, perRound[allowed.name]!);
    rows.push(row(MEASUREMENT, `${variant.name} / allowed`, '×', ratio, variant.kind === 'malformed' ? above(ratio, 1) : undefined));
  }
  return rows;
}

export async function measureRejectionThroughput(inputs: ThroughputInputs): Promise<MeasurementResult> {
  const perRound: Record<string, number[]> = Object.fromEntries(inputs.variants.map((variant) => [variant.name, []]));
  for (const variant of inputs.variants) await requestsPerSecond(variant.call, inputs.durationMs / 4, inputs.concurrency);
  for (let round = 0; round < inputs.rounds; round += 1) {
    for (const variant of rotated(inputs.variants, round)) {
      perRound[variant.name]!.push(await requestsPerSecond(variant.call, inputs.durationMs, inputs.concurrency));
    }
  }
  return {
    rows: rowsOf(inputs.variants, perRound),
    details: { durationMsPerVariant: inputs.durationMs, concurrency: inputs.concurrency, perRound },
  };
}
