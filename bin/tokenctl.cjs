#!/usr/bin/env node
// tokenctl entry point (package.json `bin`): runs cli/tokenctl.ts from source through tsx's CommonJS
// API, so `npx tokenctl ...` works right after `npm ci` with no build step.
'use strict';

// The pinned AWS SDK runs fine on Node.js 20; its notice that later SDK releases will need Node.js 22
// concerns upgrades, not someone running this command (Lambda itself runs Node.js 22).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
const { main } = require('../cli/tokenctl.ts');

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(`tokenctl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
