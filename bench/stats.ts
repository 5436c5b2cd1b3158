// Statistics of the benchmark: percentiles of one round's samples, and the median and spread of a
// figure over rounds. Ratios are taken per round (both sides saw the same noise) and then summarised.

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** The figure of each round, in round order. */
  rounds: number[];
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export function summarize(rounds: readonly number[]): Summary {
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds: [...rounds] };
}

/** Per-round ratios numerator[i] / denominator[i], summarised. */
export function ratioOf(numerator: readonly number[], denominator: readonly number[]): Summary {
  if (numerator.length !== denominator.length) throw new Error('ratio of rounds of different lengths');
  return summarize(numerator.map((value, index) => value / denominator[index]!));
}

/** Milliseconds since `start` (a `performance.now()` reading). */
export const elapsedMs = (start: number): number => performance.now() - start;
