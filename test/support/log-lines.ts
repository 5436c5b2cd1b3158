// Captures what the product writes to stdout and stderr (Powertools Logger writes there) while a call runs,
// as raw text and as the JSON log lines in it.
export interface CapturedLogs {
  text: string;
  lines: Record<string, unknown>[];
  /** How the call ended. */
  outcome: PromiseSettledResult<unknown>;
}

export async function captureLogs(run: () => Promise<unknown>): Promise<CapturedLogs> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  let outcome: PromiseSettledResult<unknown>;
  try {
    [outcome] = await Promise.allSettled([run()]);
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  const text = chunks.join('');
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { text, lines, outcome: outcome! };
}

/** The one line with this message; fails the test with what was logged when there is none or several. */
export function lineWithMessage(logs: CapturedLogs, message: string): Record<string, unknown> {
  const found = logs.lines.filter((line) => line.message === message);
  if (found.length !== 1) throw new Error(`expected one "${message}" line, got ${found.length}; output was:\n${logs.text}`);
  return found[0]!;
}
