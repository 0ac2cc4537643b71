import path from 'node:path';
import { type Emulator, startEmulator } from '../../lambdas/local/emulator';

/**
 * One moto server for a whole `npm test`: started by the first global setup that needs it (jest runs every project's
 * global setup in its own process, before any worker starts), its endpoint handed to the workers through the
 * environment, stopped by the last global teardown. Each test file keeps to resources of its own prefix.
 */
export const TEST_ENDPOINT_ENV = 'IMAGE_INTEL_TEST_ENDPOINT';
/** What serves it, as startEmulator describes it (`moto server 5.2.1 on http://127.0.0.1:N (pid P)`). */
export const TEST_MOTO_ENV = 'IMAGE_INTEL_TEST_MOTO';

declare global {
  // The moto server this jest process started, and how many global setups hold it.
  var sharedMoto: { emulator: Emulator; holders: number } | undefined;
}

/** Start the run's moto (or take the one already started), and put its endpoint in the environment. */
export async function holdSharedMoto(): Promise<string> {
  if (!globalThis.sharedMoto) {
    const emulator = await startEmulator({
      venvDir: path.join(__dirname, '../../.local/moto-venv'),
      endpoint: process.env[TEST_ENDPOINT_ENV],
      log: (line) => console.log(line),
    });
    globalThis.sharedMoto = { emulator, holders: 0 };
  }
  globalThis.sharedMoto.holders += 1;
  process.env[TEST_ENDPOINT_ENV] = globalThis.sharedMoto.emulator.endpoint;
  process.env[TEST_MOTO_ENV] = globalThis.sharedMoto.emulator.description;
  return globalThis.sharedMoto.emulator.endpoint;
}

/** Let go of the run's moto; the last holder stops it. */
export async function releaseSharedMoto(): Promise<void> {
  const shared = globalThis.sharedMoto;
  if (!shared) return;
  shared.holders -= 1;
  if (shared.holders > 0) return;
  globalThis.sharedMoto = undefined;
  await shared.emulator.stop();
}

/** The run's moto, for a test file: set by the global setup of every project that talks to AWS. */
export function testEndpoint(): string {
  const endpoint = process.env[TEST_ENDPOINT_ENV];
  if (!endpoint) {
    throw new Error(
      `${TEST_ENDPOINT_ENV} is not set: run this file through jest (its project's globalSetup starts moto), ` +
        `or set it to a running moto server (python3 -m moto.server -p 5000)`,
    );
  }
  return endpoint;
}
