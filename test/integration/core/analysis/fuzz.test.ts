import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fixturePath } from '../../../fixtures';

/** The fuzzer's regressions that need a process of their own (the rest are in test/unit/core/analysis/fuzz.test.ts). */
const ROOT = join(__dirname, '..', '..', '..', '..');

describe('regressions found by the fuzzer', () => {
  it('leaves no rejected promise behind when building a pipeline throws, so Node does not exit', () => {
    // Node ends a process on an unhandled rejection, and jest's realm cannot see one: run it in a plain child.
    const script = `
      const sharp = require('sharp');
      const refusing = Object.assign((input, options) => {
        if (options && options.raw) throw new Error('raw input refused');
        return sharp(input, options);
      }, sharp);
      require.cache[require.resolve('sharp')].exports = refusing;
      const { analyzeImage } = require('./lambdas/core/analysis/analyze');
      analyzeImage(require('node:fs').readFileSync(${JSON.stringify(fixturePath('formats/alpha.png'))}))
        .then(({ record }) => setTimeout(() => console.log(record.status, record.error.message), 50));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: child.status, stdout: child.stdout.trim() }).toEqual({
      status: 0,
      stdout: 'FAILED raw input refused',
    });
  });
});
