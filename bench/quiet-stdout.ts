// The product logs each denial (Powertools Logger) and publishes a metric line (EMF) on stdout, as it
// does in Lambda. Measurements keep that work — serialising and writing the line — but the bytes go
// to a sink instead of the terminal, so that the table stays readable. The bench's own progress goes
// to stderr.
type Write = typeof process.stdout.write;

export interface StdoutSink {
  /** Bytes the product wrote while quiet. */
  bytes: number;
  restore(): void;
}

export function quietStdout(): StdoutSink {
  const original: Write = process.stdout.write;
  const sink: StdoutSink = {
    bytes: 0,
    restore: () => {
      process.stdout.write = original;
    },
  };
  const swallow = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    sink.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    const callback = rest.find((value): value is () => void => typeof value === 'function');
    if (callback) queueMicrotask(callback);
    return true;
  };
  process.stdout.write = swallow as Write;
  return sink;
}

export const progress = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};
