// Child process of measurement 6: two local API Gateway emulators (local/emulator.ts) on 127.0.0.1 over the
// same handlers and table. One runs the real authorizer on every request; the other verifies once and
// then answers every request with that result, with no DynamoDB call — the same route without the
// authorizer's cost. Prints one ready line with both URLs; exits when its stdin closes (the benchmark
// ended, or died) or on SIGTERM.
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { handler as verifyEveryRequest } from '../functions/authorizer';
import { createEmulator, type AuthorizerHandler } from '../local/emulator';

export const READY_MARKER = 'BENCH_HTTP_READY ';

export interface ServerUrls {
  withAuthorizer: string;
  withoutAuthorizer: string;
}

/** The first request is verified for real; every later one gets that same answer at once. */
function verifyOnce(): AuthorizerHandler {
  let verified: Promise<APIGatewayAuthorizerResult> | undefined;
  return (event) => (verified ??= verifyEveryRequest(event));
}

async function serve(): Promise<void> {
  const withAuthorizer = createEmulator({ authorizer: verifyEveryRequest });
  const withoutAuthorizer = createEmulator({ authorizer: verifyOnce() });
  withAuthorizer.preload();
  withoutAuthorizer.preload();
  const urls: ServerUrls = { withAuthorizer: await withAuthorizer.listen(0), withoutAuthorizer: await withoutAuthorizer.listen(0) };
  const stop = () => {
    void Promise.allSettled([withAuthorizer.close(), withoutAuthorizer.close()]).finally(() => process.exit(0));
  };
  process.stdin.once('end', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
  process.stdout.write(`${READY_MARKER}${JSON.stringify(urls)}\n`);
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
