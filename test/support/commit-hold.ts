// Holds the handlers' next commit (their next TransactWriteItems) until released: the window between the
// authorizer's check and the commit, made as wide as a test needs, to change the acting token meanwhile.
// The handlers run in the test's process (the emulator), so their document client is this module's.
import { getServices } from '../../shared/runtime/services';

export interface CommitHold {
  /** Resolves once the commit is held. */
  reached: Promise<void>;
  release(): void;
}

let holds = 0;

export function holdNextCommit(): CommitHold {
  const { documentClient } = getServices();
  const name = `holdNextCommit${(holds += 1)}`;
  let reached!: () => void;
  let release!: () => void;
  const isReached = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  documentClient.middlewareStack.add(
    (next) => async (args) => {
      if (Array.isArray((args.input as { TransactItems?: unknown[] }).TransactItems)) {
        documentClient.middlewareStack.remove(name);
        reached();
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { reached: isReached, release };
}

/** Sends `write`, runs `meanwhile` while its commit is held, then lets it go; the write's answer. */
export async function whileCommitHeld<T>(write: () => Promise<T>, meanwhile: () => Promise<unknown>): Promise<T> {
  const hold = holdNextCommit();
  const answer = write();
  await hold.reached;
  await meanwhile();
  hold.release();
  return answer;
}
