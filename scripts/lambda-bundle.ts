// The esbuild settings of every Lambda bundle, defined once: `npm run build` (scripts/build.ts) and the
// CDK functions (cdk/lambda-function.ts) both read them, so the sizes the build prints are the sizes
// that deploy. Plain data, no esbuild or CDK import, so either side can use it.

/** The authorizer's handler module; the route handlers' modules come from the route list. */
export const AUTHORIZER_ENTRY = 'functions/authorizer.ts';

export const lambdaBundle = {
  /** The Lambda runtime the bundles run on (Runtime.NODEJS_22_X in CDK). */
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  /**
   * Stack traces need the map's mappings, not a copy of every source: without them the map is a fraction
   * of its size, and Node (--enable-source-maps) parses it at cold start.
   */
  sourcesContent: false,
  /**
   * Nothing is left external, not even the AWS SDK: the bundle runs the SDK version the tests ran
   * (package-lock.json), not whichever version the Lambda runtime happens to ship.
   */
  external: [] as string[],
  /** esbuild's own output: warnings and errors only, not the per-file size summary. */
  logLevel: 'warning',
  /** ESM bundles of CommonJS dependencies still call require() for Node built-ins. */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;
