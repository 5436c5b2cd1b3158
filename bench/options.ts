// How much work each measurement does: the full run (a few minutes on 2 cores) or a quick run
// (`npm run bench -- --quick`, or BENCH_QUICK=1) that checks the wiring in well under a minute; either of
// them for some measurements only (`--only auditLog`, repeatable or comma-separated).
import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  /** The measurements to run (names as in bench/run.ts); all when undefined. */
  only?: string[];
  /** Rounds of every measurement; the variants of a measurement are interleaved within each round. */
  rounds: number;
  /** 1: calls of each variant per round (interleaved one by one). */
  latencyCalls: number;
  /** 1: calls of each variant before the first round, so that the JIT and DynamoDB Local are warm. */
  latencyWarmupCalls: number;
  /** 3: how long each variant runs per round, and with how many callers at once. */
  throughputMs: number;
  throughputConcurrency: number;
  /** 4: fresh `node` processes per bundle per round. */
  importsPerRound: number;
  /** 5: rounds of 300 concurrent creates (each on a fresh account). */
  contentionRounds: number;
  contentionCreates: number;
  /** 6: seconds per variant per round, and connections. */
  httpSeconds: number;
  httpConnections: number;
  /** 7: entries of the two accounts' histories, and BatchWriteItem calls in flight writing them. */
  auditSmallEntries: number;
  auditLargeEntries: number;
  auditWriteConcurrency: number;
  /** 7: per variant per round, pairs of list calls (small, large) until this many or this time has passed. */
  auditMaxPairsPerRound: number;
  auditBudgetMsPerRound: number;
  /** 9: per round, slots of the four leak reports at once with the floor (2 s each), and calls of each without it. */
  leakReportSlots: number;
  leakReportUnflooredCalls: number;
}

const FULL: Omit<BenchOptions, 'quick'> = {
  rounds: 7,
  latencyCalls: 1200,
  latencyWarmupCalls: 500,
  throughputMs: 1000,
  throughputConcurrency: 32,
  importsPerRound: 5,
  contentionRounds: 5,
  contentionCreates: 300,
  httpSeconds: 3,
  httpConnections: 32,
  auditSmallEntries: 5000,
  auditLargeEntries: 50_000,
  auditWriteConcurrency: 10,
  auditMaxPairsPerRound: 10,
  auditBudgetMsPerRound: 400,
  leakReportSlots: 3,
  leakReportUnflooredCalls: 15,
};

const QUICK: Omit<BenchOptions, 'quick'> = {
  ...FULL,
  rounds: 3,
  latencyCalls: 200,
  latencyWarmupCalls: 200,
  throughputMs: 300,
  importsPerRound: 2,
  contentionRounds: 1,
  httpSeconds: 1,
  auditSmallEntries: 1000,
  auditLargeEntries: 10_000,
  auditMaxPairsPerRound: 4,
  auditBudgetMsPerRound: 150,
  leakReportSlots: 2,
  leakReportUnflooredCalls: 8,
};

export function benchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true } },
    strict: true,
  });
  const quick = values.quick === true || (env.BENCH_QUICK !== undefined && env.BENCH_QUICK !== '' && env.BENCH_QUICK !== '0');
  const only = values.only?.flatMap((names) => names.split(',')).filter((name) => name !== '');
  return { quick, ...(only?.length ? { only } : {}), ...(quick ? QUICK : FULL) };
}
