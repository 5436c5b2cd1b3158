// 5. The token limit under contention: 300 concurrent creates on a fresh account through TokenService (as an
// operator). Exactly 256 must succeed, and the stored count must equal the token items. The wall time
// and the transactions DynamoDB cancelled for conflicts (which the store retries) show what the
// contention costs.
import type { CallCounter, CallRecord } from './call-counter';
import { exactly, row, type MeasurementResult } from './report';
import { elapsedMs, summarize } from './stats';

export interface ContentionInputs {
  counter: CallCounter;
  /** Creates a fresh account with API token access on; resolves with its id. */
  createAccount: () => Promise<string>;
  createToken: (accountId: string) => Promise<unknown>;
  /** Token items in the table and the account's tokenCount, read after the round. */
  storedTokens: (accountId: string) => Promise<{ items: number; tokenCount: number }>;
  creates: number;
  limit: number;
  rounds: number;
}

interface RoundFigures {
  successes: number;
  wallMs: number;
  transactions: number;
  conflictsRetried: number;
  idCollisionsRetried: number;
  limitRefusals: number;
  sdkRetries: number;
  tokenItems: number;
  tokenCount: number;
  failures: Record<string, number>;
}

const MEASUREMENT = '5 limit under contention';
const TRANSACT = 'TransactWriteItemsCommand';

const isConflict = (call: CallRecord) =>
  call.error === 'TransactionConflictException' || (call.reasons ?? []).includes('TransactionConflict');
/**
 * The create transaction is [account update, token put, audit put] (shared/store/dynamo-store.ts): a failed
 * condition on a put means a new id was taken by a concurrent create; the service retries with new ids.
 */
const isIdCollision = (call: CallRecord) => {
  const [account, ...puts] = call.reasons ?? [];
  return account !== 'ConditionalCheckFailed' && puts.includes('ConditionalCheckFailed');
};

function failureCounts(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    if (result.status === 'fulfilled') continue;
    const name = result.reason instanceof Error ? result.reason.name : String(result.reason);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

async function contentionRound(inputs: ContentionInputs): Promise<RoundFigures> {
  const accountId = await inputs.createAccount();
  inputs.counter.reset();
  const start = performance.now();
  const results = await Promise.allSettled(Array.from({ length: inputs.creates }, () => inputs.createToken(accountId)));
  const wallMs = elapsedMs(start);
  const transactions = inputs.counter.calls.filter((call) => call.command === TRANSACT);
  const stored = await inputs.storedTokens(accountId);
  const failures = failureCounts(results);
  return {
    successes: results.filter((result) => result.status === 'fulfilled').length,
    wallMs,
    transactions: transactions.length,
    conflictsRetried: transactions.filter(isConflict).length,
    idCollisionsRetried: transactions.filter(isIdCollision).length,
    limitRefusals: failures.TokenLimitReachedError ?? 0,
    sdkRetries: inputs.counter.attempts - inputs.counter.calls.length,
    tokenItems: stored.items,
    tokenCount: stored.tokenCount,
    failures,
  };
}

const column = (rounds: RoundFigures[], pick: (figures: RoundFigures) => number) => summarize(rounds.map(pick));

export async function measureLimitContention(inputs: ContentionInputs): Promise<MeasurementResult> {
  const rounds: RoundFigures[] = [];
  for (let round = 0; round < inputs.rounds; round += 1) rounds.push(await contentionRound(inputs));
  const successes = column(rounds, (figures) => figures.successes);
  // A token count that differs from the token items shows as -1: the invariant broke.
  const items = column(rounds, (figures) => (figures.tokenItems === figures.tokenCount ? figures.tokenItems : -1));
  const refused = column(rounds, (figures) => figures.limitRefusals);
  return {
    rows: [
      row(MEASUREMENT, `successes of ${inputs.creates} creates`, '', successes, exactly(successes, inputs.limit)),
      row(MEASUREMENT, 'token items (= tokenCount)', '', items, exactly(items, inputs.limit)),
      row(MEASUREMENT, 'wall time', 'ms', column(rounds, (figures) => figures.wallMs)),
      row(MEASUREMENT, 'refused: TokenLimitReached', '', refused, exactly(refused, inputs.creates - inputs.limit)),
      row(MEASUREMENT, 'TransactWriteItems calls', '', column(rounds, (figures) => figures.transactions)),
      row(MEASUREMENT, 'conflicts retried (TransactionConflict)', '', column(rounds, (figures) => figures.conflictsRetried)),
      row(MEASUREMENT, 'id collisions retried', '', column(rounds, (figures) => figures.idCollisionsRetried)),
    ],
    details: { creates: inputs.creates, limit: inputs.limit, rounds },
  };
}
