import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { filesUnder, ROOT } from '../support/source-files';

/*
 * The floors of lambdas/ (dependency-cruiser run on trees it is given) are in test/integration/architecture.test.ts;
 * the rule that keeps this layer free of processes and sockets in test/integration/test-layers.test.ts.
 */

/** Every product file, as `wc -l` counts its lines. */
function productFiles(): [file: string, lines: number][] {
  return ['lambdas', 'lib', 'bin', 'web/src']
    .flatMap((dir) => filesUnder(dir, /\.(ts|tsx|js|mjs|cjs)$/, ['node_modules', 'dist', 'models']))
    .map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1]);
}

describe('every product file', () => {
  it('is a short read: at most 300 lines (past that it does two jobs)', () => {
    const files = productFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(([, lines]) => lines > 300)).toEqual([]);
  });
});
