/**
 * One cold read, in a process of its own (bench/provenance/main.ts runs it): the first `readProvenance` of the file
 * it is given, a signed one (c2pa-rs's module compiled then: nothing else in this process loaded it) or a plain one,
 * and the resident memory it adds. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { readProvenance } from '../../lambdas/provenance/read-provenance';

async function main(): Promise<void> {
  const bytes = readFileSync(process.argv[2] as string);
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
