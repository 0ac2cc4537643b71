import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { filesUnder, ROOT } from './source-files';

/**
 * `npm run report:files`: how long the product's modules are. A report, not a rule: a module is as long as a reader
 * can follow it in one sitting, and a line limit that fails the build split files only to pass it. Lists the files
 * over READ_IN_ONE_SITTING lines, for a reviewer to ask whether each does one job.
 */
const READ_IN_ONE_SITTING = 400;

/** Every product file, as `wc -l` counts its lines. */
export function productFiles(): [file: string, lines: number][] {
  return ['lambdas', 'lib', 'bin', 'web/src']
    .flatMap((dir) => filesUnder(dir, /\.(ts|tsx|js|mjs|cjs)$/, ['node_modules', 'dist', 'models']))
    .map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1]);
}

if (require.main === module) {
  const files = productFiles();
  const lines = files.map(([, n]) => n).sort((a, b) => a - b);
  const median = lines[Math.floor((lines.length - 1) / 2)] ?? 0;
  const long = files.filter(([, n]) => n > READ_IN_ONE_SITTING).sort((a, b) => b[1] - a[1]);
  console.log(`${files.length} product files (lambdas, lib, bin, web/src), median ${median} lines`);
  console.log(`over ${READ_IN_ONE_SITTING} lines: ${long.length === 0 ? 'none' : ''}`);
  for (const [file, n] of long) console.log(`  ${String(n).padStart(5)}  ${file}`);
}
