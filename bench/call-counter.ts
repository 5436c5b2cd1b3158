// Counts the DynamoDB calls a client makes, as test/integration/authorizer.test.ts does: a middleware at
// the 'initialize' step sees each `send` once (with its outcome), one at the 'deserialize' step sees
// each HTTP attempt, including the SDK's own retries. A Query's or Scan's ScannedCount (the items DynamoDB
// read, before any FilterExpression) is kept with its call.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface CallRecord {
  command: string;
  /** The error's name when the call failed, e.g. TransactionCanceledException. */
  error?: string;
  /** CancellationReasons codes of a cancelled transaction, e.g. ['None', 'TransactionConflict', 'None']. */
  reasons?: string[];
  /** Items DynamoDB read for a successful Query or Scan, before its FilterExpression. */
  scannedCount?: number;
}

export interface CallCounter {
  calls: CallRecord[];
  attempts: number;
  reset(): void;
  detach(): void;
}

function reasonCodes(error: unknown): string[] | undefined {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] } | null)?.CancellationReasons;
  return Array.isArray(reasons) ? reasons.map((reason) => reason.Code ?? 'unknown') : undefined;
}

function failedCall(command: string, error: unknown): CallRecord {
  const name = error instanceof Error ? error.name : String(error);
  const reasons = reasonCodes(error);
  return reasons ? { command, error: name, reasons } : { command, error: name };
}

/** Items DynamoDB read over the calls counted since the last reset. */
export const itemsRead = (counter: CallCounter): number => counter.calls.reduce((sum, call) => sum + (call.scannedCount ?? 0), 0);

export function countCalls(client: DynamoDBClient | DynamoDBDocumentClient, name: string): CallCounter {
  // Both clients take the same middleware; only their command type parameters differ.
  const stack = client.middlewareStack as DynamoDBClient['middlewareStack'];
  const counter: CallCounter = {
    calls: [],
    attempts: 0,
    reset: () => {
      counter.calls.length = 0;
      counter.attempts = 0;
    },
    detach: () => {
      stack.remove(`${name}-calls`);
      stack.remove(`${name}-attempts`);
    },
  };
  stack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      try {
        const result = await next(args);
        const { ScannedCount } = result.output as { ScannedCount?: number };
        counter.calls.push(ScannedCount === undefined ? { command } : { command, scannedCount: ScannedCount });
        return result;
      } catch (error) {
        counter.calls.push(failedCall(command, error));
        throw error;
      }
    },
    { step: 'initialize', name: `${name}-calls` },
  );
  stack.add(
    (next) => async (args) => {
      counter.attempts += 1;
      return next(args);
    },
    { step: 'deserialize', name: `${name}-attempts` },
  );
  return counter;
}
