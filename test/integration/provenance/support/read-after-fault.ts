/**
 * The case, in a process of its own, through the process's own reader (readProvenance, no options): run with
 * `node --require test/support/c2pa-fault.ts --import tsx`, so c2pa-rs fails wherever its module is instantiated in
 * this process (the reader's thread inherits the process's options). Reads a signed image marked to trap, a signed
 * one, one marked to hang, and a signed one again; prints one JSON line: what each read was recorded as (or that it
 * had not settled), how long it took, and every uncaught exception and unhandled rejection of the process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readProvenance } from '../../../../lambdas/provenance/read-provenance';
import { credentialFixtures } from '../../../support/provenance';

const WATCHDOG_MS = 15_000;
const escaped: string[] = [];
process.on('uncaughtException', (error) => escaped.push(`uncaught exception: ${error}`));
process.on('unhandledRejection', (reason) => escaped.push(`unhandled rejection: ${reason}`));

async function read(name: string, bytes: Buffer): Promise<void> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<string>((resolve) => {
    timer = setTimeout(resolve, WATCHDOG_MS, `not settled in ${WATCHDOG_MS / 1000} s`);
  });
  const recorded = await Promise.race([readProvenance(bytes, 'jpeg'), watchdog]);
  clearTimeout(timer);
  const read = { name, ms: Math.round(performance.now() - started), recorded };
  process.stdout.write(`${JSON.stringify({ read })}\n`);
}

async function main(): Promise<void> {
  const photo = readFileSync(path.join(__dirname, '../../../fixtures/photos/pier.jpg'));
  const { generated } = await credentialFixtures(photo);
  const marked = (kind: string) => Buffer.concat([generated, Buffer.from(`c2pa-fault:${kind}`)]);
  await read('trap', marked('trap'));
  await read('signed after the trap', generated);
  await read('hang', marked('hang'));
  await read('signed after the hang', generated);
  process.stdout.write(`${JSON.stringify({ escaped })}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
