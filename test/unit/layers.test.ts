// The direction of imports between the layers of shared/ is enforced by `npm run lint`
// (eslint.config.mjs): a module that imports upward fails the lint. Checked here on code written for it.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');

// ESLint loads its flat config with a dynamic import, which jest's module sandbox cannot run: the cases are
// linted by the real ESLint in one child process, as `npm run lint` would lint them.
const LINT_SNIPPETS = `
const { ESLint } = require('eslint');
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
Promise.all(cases.map(async ([filePath, code]) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
})).then((found) => process.stdout.write(JSON.stringify(found)));
`;

const upward: [string, string][] = [
  ['shared/domain/example.ts', "import { accountKey } from '../store/keys';"],
  ['shared/domain/example.ts', "import { logger } from '../platform/logger';"],
  ['shared/domain/example.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';"],
  ['shared/domain/example.ts', "import * as z from 'zod/mini';"],
  ['shared/platform/example.ts', "import { tokenKey } from '../store/keys';"],
  ['shared/store/example.ts', "import { presentToken } from '../http/presenters';"],
  ['shared/store/example.ts', "import { getServices } from '../runtime/services';"],
  ['shared/runtime/example.ts', "import { apiHandler } from '../http/handler';"],
  ['shared/http/example.ts', "import { DynamoTokenStore } from '../store/dynamo-store';"],
  ['shared/http/example.ts', "import { handler } from '../../functions/authorizer';"],
];
const downward: [string, string][] = [
  ['shared/store/example.ts', "import { NotFoundError } from '../domain/errors';"],
  ['shared/http/example.ts', "import { getServices } from '../runtime/services';"],
  ['shared/runtime/example.ts', "import { DynamoTokenStore } from '../store/dynamo-store';"],
  ['functions/example.ts', "import { DynamoTokenStore } from '../shared/store/dynamo-store';"],
];

let findings: string[][];

beforeAll(() => {
  const cases = [...upward, ...downward].map(([filePath, code]) => [resolve(REPO_ROOT, filePath), `${code}\nexport {};\n`]);
  const output = execFileSync(process.execPath, ['-e', LINT_SNIPPETS], { cwd: REPO_ROOT, input: JSON.stringify(cases), encoding: 'utf8' });
  findings = JSON.parse(output) as string[][];
}, 60_000);

test.each(upward.map((entry, index) => [...entry, index] as const))('%s may not import upward: %s', (_, __, index) => {
  expect(findings[index]).toHaveLength(1);
});

test.each(downward.map((entry, index) => [...entry, upward.length + index] as const))('%s may import downward: %s', (_, __, index) => {
  expect(findings[index]).toEqual([]);
});
