import { blocksOf, readDoc } from './examples/blocks';
import { compare, coverageProblems, docBlocks, freshBody, runSession } from './examples/check';
import { sessionRunners } from './examples/runners';
import { SESSIONS, type Session } from './examples/sessions';
import { startShell } from './examples/shell';

/*
 * The README's and docs' example outputs are what the code prints now: each block is made again by running its
 * commands (against a local runner, one per configuration, emptied between sessions, or the run's shared runner of a
 * profile) and compared after normalising what varies between runs (test/docs/examples/normalise.ts).
 * `npm run docs:examples -- --update` rewrites a stale block.
 */

const MINUTES = 60_000;

describe('the docs examples', () => {
  const blocks = docBlocks();
  // On the jest run's moto (the project's global setup); the sessions run in order, as the runners need.
  const runners = sessionRunners();
  afterAll(() => runners.stop());

  it('has a session for every example block, and an output-of comment on every block that shows output', () => {
    expect(blocks.size).toBeGreaterThan(30);
    expect(coverageProblems(blocks)).toEqual([]);
  });

  it('fails on a stale block, naming the file and the line, and passes on the block as it is', async () => {
    const readme = readDoc('README.md');
    const stale = readme.replace('"phash":"fff50055ab01aa78"', '"phash":"fff50055ab01aa79"');
    expect(stale).not.toEqual(readme);
    const real = blocksOf('README.md', readme).find((block) => block.id === 'readme-analyze');
    const changed = blocksOf('README.md', stale).find((block) => block.id === 'readme-analyze');
    if (!real || !changed) throw new Error('README.md has no block readme-analyze');
    const shell = startShell();
    try {
      const fresh = await freshBody(real, { id: real.id }, { shell });
      expect(compare(real, fresh)).toBeUndefined();
      const difference = compare(changed, fresh);
      const line = stale.split('\n').findIndex((text) => text.includes('fff50055ab01aa79')) + 1;
      expect(difference?.line).toBe(line);
      expect(difference?.message).toContain(`README.md:${line} (example readme-analyze`);
      expect(difference?.message).toContain('fff50055ab01aa78');
    } finally {
      shell.close();
    }
  });

  const check = async (_name: string, session: Session) => {
    const result = await runSession(session, blocks, runners);
    expect(result.checked.length).toBe(session.steps.filter((step) => 'id' in step).length);
    expect(result.differences.map((difference) => difference.message)).toEqual([]);
  };
  const named = (sessions: Session[]) => sessions.map((session) => [session.name, session] as const);

  // In order: one runner at a time (runners.ts).
  it.each(named(SESSIONS.filter((session) => session.runner)))(
    '%s: every block is as the code prints it',
    check,
    5 * MINUTES,
  );

  // Beside those (jest starts concurrent tests first and awaits them here): the CLI needs no runner, npm start's
  // banner comes from a runner on a moto of its own, and a session on a shared profile's runner keeps to users or
  // images of its own there.
  it.concurrent.each(named(SESSIONS.filter((session) => !session.runner)))(
    '%s: every block is as the code prints it',
    check,
    5 * MINUTES,
  );
});
