// The context `cdk synth` gives the app — cdk.json's, with its feature flags — for apps built in-process
// (the CDK tests and `npm run lint:cfn`), so that they synthesize the template the CLI would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
