// Lint: typescript-eslint's recommended rules; no `any` in product code; and the direction of imports
// between the layers of shared/ (docs/architecture.md): each layer imports only the layers below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What a layer of shared/ must not import, as import-path patterns seen from inside that layer. */
const layer = (name) => ({ group: [`../${name}/*`, `**/shared/${name}/*`], message: `shared/${name}/ is not below this layer (docs/architecture.md).` });
const outsideShared = {
  group: ['**/functions/*', '**/cdk/*', '**/cli/*', '**/local/*', '**/scripts/*', '**/bench/*', '**/test/*'],
  message: 'shared/ is product code used by the entry points; it never imports them.',
};
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...patterns, outsideShared] }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'build/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['test/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  // domain ← platform ← store ← runtime ← http ← functions, cli, local (see docs/architecture.md).
  {
    files: ['shared/domain/**'],
    rules: restrict(layer('platform'), layer('store'), layer('runtime'), layer('http'), {
      group: ['@aws-sdk/*', '@aws-lambda-powertools/*', 'aws-lambda', 'zod', 'zod/*'],
      message: 'The domain speaks neither DynamoDB, Lambda nor HTTP: it reaches storage through its own ports (domain/store.ts).',
    }),
  },
  { files: ['shared/platform/**'], rules: restrict(layer('store'), layer('runtime'), layer('http')) },
  { files: ['shared/store/**'], rules: restrict(layer('runtime'), layer('http')) },
  { files: ['shared/runtime/**'], rules: restrict(layer('http')) },
  { files: ['shared/http/**'], rules: restrict(layer('store')) },
);
