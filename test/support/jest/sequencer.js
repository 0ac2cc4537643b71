const Sequencer = require('@jest/test-sequencer').default;

/**
 * Jest runs the files it has timed before longest first. A fresh clone has no timings, and jest then goes by file
 * size: the runner-driven suites (minutes each, mostly waiting) could start last and leave the other workers idle at
 * the end. Untimed files are ordered by their project's usual length instead, longest first, then by size.
 */
const LONGEST_FIRST = ['docs', 'e2e', 'resilience', 'browser', 'integration', 'bench', 'infra', 'models', 'unit'];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const index = LONGEST_FIRST.indexOf(test.context.config.displayName?.name);
      return index < 0 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: within a project, jest's order (by size) stays.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
