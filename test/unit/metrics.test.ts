// The denied-authentication metric the CDK alarms read: namespace, name and the `reason` dimension.
test('a denial is published at once as AuthenticationDenied with its reason', () => {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    jest.isolateModules(() => {
      const { countDeniedAuthentication } = jest.requireActual<typeof import('../../shared/metrics')>('../../shared/metrics');
      countDeniedAuthentication('wrong_secret');
    });
  } finally {
    process.env.POWERTOOLS_METRICS_DISABLED = previous;
    write.mockRestore();
  }
  const emf = written.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => '_aws' in line);
  expect(emf).toMatchObject({
    _aws: { CloudWatchMetrics: [{ Namespace: 'ApiTokenService', Metrics: [{ Name: 'AuthenticationDenied', Unit: 'Count' }] }] },
    reason: 'wrong_secret',
    AuthenticationDenied: 1,
  });
});
