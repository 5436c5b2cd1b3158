// 6. The HTTP path: requests per second and p99 latency of GET /api/v2/users/me through the local API
// Gateway emulator under 32 keep-alive connections (autocannon), with the real authorizer versus the same
// emulator whose authorizer answers without DynamoDB. The emulators run in a child process, so the load
// generator does not share their event loop; each round loads both, in alternating order.
import autocannon from 'autocannon';
import { PROBE_PATH } from './fixture';
import { READY_MARKER, type ServerUrls } from './http-server';
import { row, type MeasurementResult } from './report';
import { startServerProcess } from './server-process';
import { ratioOf, summarize } from './stats';

const MEASUREMENT = '6 HTTP GET /users/me';

export interface HttpInputs {
  /** Environment of the emulators' process: the table and endpoint of this run. */
  env: NodeJS.ProcessEnv;
  authorization: string;
  seconds: number;
  connections: number;
  rounds: number;
  onCleanup: (name: string, step: () => Promise<void>) => void;
}

interface LoadFigures {
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  /** Non-2xx answers and connection errors: must be 0, or the figures measure something else. */
  failures: number;
}

function startEmulators(inputs: HttpInputs): Promise<ServerUrls> {
  return startServerProcess<ServerUrls>({ name: 'emulators', script: 'http-server.ts', marker: READY_MARKER, env: inputs.env, onCleanup: inputs.onCleanup });
}

async function load(baseUrl: string, inputs: HttpInputs, seconds: number): Promise<LoadFigures> {
  const result = await autocannon({
    url: `${baseUrl}${PROBE_PATH}`,
    connections: inputs.connections,
    duration: seconds,
    headers: { authorization: inputs.authorization, accept: 'application/json' },
  });
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    failures: result.non2xx + result.errors,
  };
}

export async function measureHttpPath(inputs: HttpInputs): Promise<MeasurementResult> {
  const urls = await startEmulators(inputs);
  await load(urls.withAuthorizer, inputs, 1);
  await load(urls.withoutAuthorizer, inputs, 1);
  const perRound = { withAuthorizer: [] as LoadFigures[], withoutAuthorizer: [] as LoadFigures[] };
  for (let round = 0; round < inputs.rounds; round += 1) {
    const order = round % 2 === 0 ? (['withAuthorizer', 'withoutAuthorizer'] as const) : (['withoutAuthorizer', 'withAuthorizer'] as const);
    for (const variant of order) perRound[variant].push(await load(urls[variant], inputs, inputs.seconds));
  }
  const pick = (variant: keyof typeof perRound, figure: keyof LoadFigures) => perRound[variant].map((figures) => figures[figure]);
  const failures = [...pick('withAuthorizer', 'failures'), ...pick('withoutAuthorizer', 'failures')].reduce((sum, count) => sum + count, 0);
  if (failures > 0) throw new Error(`${failures} requests of the HTTP measurement failed (non-2xx or connection errors)`);
  return {
    rows: [
      row(MEASUREMENT, 'with authorizer', 'req/s', summarize(pick('withAuthorizer', 'requestsPerSecond'))),
      row(MEASUREMENT, 'authorizer answering without DynamoDB', 'req/s', summarize(pick('withoutAuthorizer', 'requestsPerSecond'))),
      row(MEASUREMENT, 'req/s ratio (with / without)', '×', ratioOf(pick('withAuthorizer', 'requestsPerSecond'), pick('withoutAuthorizer', 'requestsPerSecond'))),
      row(MEASUREMENT, 'with authorizer p99', 'ms', summarize(pick('withAuthorizer', 'p99Ms'))),
      row(MEASUREMENT, 'without DynamoDB p99', 'ms', summarize(pick('withoutAuthorizer', 'p99Ms'))),
      row(MEASUREMENT, 'p99 ratio (with / without)', '×', ratioOf(pick('withAuthorizer', 'p99Ms'), pick('withoutAuthorizer', 'p99Ms'))),
    ],
    details: { connections: inputs.connections, secondsPerVariantPerRound: inputs.seconds, path: PROBE_PATH, urls, perRound },
  };
}
