/**
 * One cold read, in a process of its own (bench/provenance/main.ts runs it): the first `readProvenance` of a signed
 * image (c2pa-rs's module compiled then) or of a plain one, and the resident memory it adds. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readProvenance } from '../../lambdas/provenance/read-provenance';
import { credentialFixtures } from '../../test/support/provenance';

async function main(): Promise<void> {
  const photo = readFileSync(path.join(__dirname, '../../test/fixtures/photos/pier.jpg'));
  const kind = process.argv[2];
  // Made first, so the memory and time measured are the read's: signing compiles its own module instance here.
  const bytes = kind === 'signed' ? (await credentialFixtures(photo)).generated : photo;
  global.gc?.();
  const before = process.memoryUsage().rss;
  const start = performance.now();
  await readProvenance(bytes, 'jpeg');
  const firstMs = Math.round((performance.now() - start) * 10) / 10;
  const rssAddedMb = Math.round(((process.memoryUsage().rss - before) / 1e6) * 10) / 10;
  process.stdout.write(`${JSON.stringify({ firstMs, rssAddedMb })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
