// The esbuild settings of every Lambda bundle, defined once: `npm run build` (scripts/build.ts) and the
// CDK functions (cdk/lambda-function.ts) both read them, so the sizes the build prints are the sizes
// that deploy. Plain data, no esbuild or CDK import at run time, so either side can use it.
import type { BuildOptions } from 'esbuild';

/** The authorizer's handler module; the route handlers' modules come from the route list. */
export const AUTHORIZER_ENTRY = 'functions/authorizer.ts';
/** The hourly token sweep's handler module: scheduled, not a route. */
export const SWEEP_ENTRY = 'functions/sweep-tokens.ts';

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
   * The AWS SDK is not left external: the bundle runs the SDK version the tests ran (package-lock.json),
   * not whichever version the Lambda runtime happens to ship. Only `bowser` is: a browser user-agent
   * parser that the SDK's core imports (dynamically) for browsers alone, never on Node.js; bundled, it was
   * 34 KiB of every bundle (docs/decisions.md).
   */
  external: ['bowser'] as string[],
  /** esbuild's own output: warnings and errors only, not the per-file size summary. */
  logLevel: 'warning',
  /** ESM bundles of CommonJS dependencies still call require() for Node built-ins. */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/** esbuild options for one bundle, for the places that call esbuild themselves (build, benchmark). */
export function esbuildOptions(entryPoint: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    target: lambdaBundle.target,
    format: lambdaBundle.format,
    minify: lambdaBundle.minify,
    sourcemap: lambdaBundle.sourcemap,
    sourcesContent: lambdaBundle.sourcesContent,
    external: [...lambdaBundle.external],
    banner: { js: lambdaBundle.banner },
    logLevel: lambdaBundle.logLevel,
  };
}
