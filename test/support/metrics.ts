// Captures what the authorizer's metric code really writes: the CloudWatch EMF record of one denial.
export type EmfRecord = {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
} & Record<string, unknown>;

/** Calls countDeniedAuthentication with metrics switched on, and returns the EMF line it wrote to stdout. */
export function captureDeniedMetric(reason: Parameters<typeof import('../../shared/platform/metrics').countDeniedAuthentication>[0]): EmfRecord {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    // A fresh module, so that its Metrics instance reads the switch above.
    jest.isolateModules(() => {
      jest.requireActual<typeof import('../../shared/platform/metrics')>('../../shared/platform/metrics').countDeniedAuthentication(reason);
    });
  } finally {
    process.env.POWERTOOLS_METRICS_DISABLED = previous;
    write.mockRestore();
  }
  const emf = written.map((line) => JSON.parse(line) as EmfRecord).find((line) => '_aws' in line);
  if (!emf) throw new Error(`no EMF record written; output was: ${written.join('')}`);
  return emf;
}
