// Teardown of everything the benchmark starts (DynamoDB Local's Java process, the emulator's child
// process, temporary bundles): run in reverse order at the end, on error, and on SIGINT/SIGTERM.
export type TeardownStep = () => Promise<void> | void;

export class Teardown {
  private readonly steps: { name: string; step: TeardownStep }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, step: TeardownStep): void {
    this.steps.push({ name, step });
  }

  /** Runs every step once, last added first; a failing step does not keep the others from running. */
  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const { name, step } of this.steps.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`bench: teardown of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** On Ctrl-C or SIGTERM: tear down, then exit with the conventional 128 + signal number. */
export function tearDownOnSignals(teardown: Teardown): void {
  const signals: [NodeJS.Signals, number][] = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ];
  for (const [signal, code] of signals) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping everything`);
      void teardown.run().finally(() => process.exit(code));
    });
  }
}
