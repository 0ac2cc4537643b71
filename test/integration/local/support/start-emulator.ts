import { startEmulator } from '../../../../lambdas/local/emulator';

/**
 * Start the emulator as the runner does, in a process of its own so the test can give it a PATH (jest's
 * process.env is not the one child_process reads). PyPI is reported unreachable; the outcome is printed as JSON.
 * Usage: start-emulator.ts <venvDir> [endpoint]
 */
let pypiAsked = false;
startEmulator({
  venvDir: process.argv[2] as string,
  endpoint: process.argv[3],
  log: () => undefined,
  pypiReachable: async () => {
    pypiAsked = true;
    return false;
  },
}).then(
  async (emulator) => {
    process.stdout.write(JSON.stringify({ endpoint: emulator.endpoint, description: emulator.description, pypiAsked }));
    await emulator.stop();
  },
  (error: Error) => process.stdout.write(JSON.stringify({ error: error.name, message: error.message, pypiAsked })),
);
