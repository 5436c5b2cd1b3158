// Child process of measurement 8: the local API Gateway emulator (local/emulator.ts) serving the built
// admin console under /admin/ (local/admin-console.ts) with the API on the same origin, as `npm start`
// does, over the benchmark's table. Its own process, so that the browser's driver in the benchmark does not
// share the API's event loop. Prints one ready line with the URL; exits when its stdin closes (the
// benchmark ended, or died) or on SIGTERM.
import { consoleSite } from '../local/admin-console';
import { createEmulator } from '../local/emulator';
import { CONSOLE_BUILD_DIRECTORY } from '../scripts/console-build';

export const CONSOLE_READY_MARKER = 'BENCH_CONSOLE_READY ';

async function serve(): Promise<void> {
  const emulator = createEmulator({ site: consoleSite(CONSOLE_BUILD_DIRECTORY) });
  emulator.preload();
  const url = await emulator.listen(0);
  const stop = () => {
    void emulator.close().finally(() => process.exit(0));
  };
  process.stdin.once('end', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
  process.stdout.write(`${CONSOLE_READY_MARKER}${JSON.stringify({ url })}\n`);
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
