const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Jest runs the files it has timed before longest first. A fresh clone has no timings, and jest then goes by file
 * size: the runner-driven suites (minutes each, mostly waiting) could start last and leave the other workers idle at
 * the end. Untimed files are ordered by their project's usual length instead, longest first, then by size; the few
 * longest files (SLOWEST) before all of them.
 */
const LONGEST_FIRST = ['docs', 'e2e', 'resilience', 'browser', 'integration', 'bench', 'infra', 'models', 'unit'];
/**
 * Single files of several minutes on 2 cores (each one worker's for all of it), longest first: they start before
 * any other project's files (docs' one file aside), whatever their project's place above; one of them started late
 * would be the run's last minutes alone.
 * Measured at 0a33a9d9 (seconds of one file, 2 workers a project): the real `cdk synth` about 540 (690 for the bundle settings, one function since),
 * recorded-vision 250, index-races 255, nag 185, the CLI's 175, accuracy's regression 135.
 */
const SLOWEST = [
  'test/integration/infra/cdk-synth.test.ts',
  'test/integration/search/index-races.test.ts',
  'test/models/vision/recorded-vision.test.ts',
  'test/infra/nag.test.ts',
  'test/integration/cli/image-intel.test.ts',
  'bench/accuracy/regression.test.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const slow = SLOWEST.indexOf(path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/'));
      // After docs (one file, the docs' commands on runners of their own), before every other project's files.
      if (slow >= 0) return (1 + slow / SLOWEST.length) / 2;
      const index = LONGEST_FIRST.indexOf(test.context.config.displayName?.name);
      return index < 0 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: within a project, jest's order (by size) stays.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
