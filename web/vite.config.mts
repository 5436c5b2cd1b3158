// The admin console's build: a Preact single-page app served under /admin/, written to dist/admin-console/
// (beside the Lambda bundles, so the construct library ships it the same way). `npm run console:dev`
// serves it with hot reload and proxies /api/ to a running `npm start`.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const API_ORIGIN = process.env.CONSOLE_API_ORIGIN ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  // Every file under its own name; no inline script or style, which the console's CSP forbids.
  build: {
    outDir: fileURLToPath(new URL('../dist/admin-console', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', proxy: { '/api/': API_ORIGIN } },
  clearScreen: false,
  logLevel: 'warn',
});
