import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { holdRunDir, releaseRunDir } from '../../support/runner-profiles';
import { holdSharedMoto, releaseSharedMoto } from '../../support/shared-moto';
import { type Block, blocksOf, DOC_FILES, ROOT, readDoc, uncommentedOutputs } from './blocks';
import { cutPresignedQueries, idsOf, normalise } from './normalise';
import { type Runners, type SessionRunner, sessionRunners } from './runners';
import { type Example, SESSIONS, type Session, UNCHECKED } from './sessions';
import { startShell } from './shell';

/*
 * The docs' example outputs against the running code: every block is made again by its session and compared with
 * the doc after `normalise`. `npm run docs:examples` checks; `-- --update` writes the fresh outputs into the docs.
 */

export interface Difference {
  block: Block;
  /** 1-based line in the doc of the first line that differs. */
  line: number;
  message: string;
}

/** The first difference between a block's lines and what its commands print now, if any. */
export function compare(block: Block, fresh: string[]): Difference | undefined {
  const doc = normalise(block.body.join('\n')).split('\n');
  const now = normalise(fresh.join('\n')).split('\n');
  const at = doc.findIndex((line, index) => line !== now[index]);
  const index = at >= 0 ? at : doc.length < now.length ? doc.length : -1;
  if (index < 0) return undefined;
  // Normalising drops only whole progress lines: find the doc's line by its text.
  const docLine = doc[index];
  const offset = docLine === undefined ? block.body.length : Math.max(0, rawIndex(block.body, docLine, index));
  const show = (lines: string[]) =>
    lines
      .slice(index, index + 3)
      .map((line) => `    ${line}`)
      .join('\n') || '    (nothing)';
  return {
    block,
    line: block.bodyStart + offset + 1,
    message:
      `${block.file}:${block.bodyStart + offset + 1} (example ${block.id}, comment on line ${block.line}): the doc says\n` +
      `${show(doc)}\n  but the code gives now\n${show(now)}\n` +
      `  (normalised: ids, times, ports and signatures are placeholders; npm run docs:examples -- --update rewrites it)`,
  };
}

function rawIndex(body: string[], normalisedLine: string, fallback: number): number {
  const lines = body.map((line) => normalise(line));
  const found = lines.findIndex((line, index) => index >= fallback && line === normalisedLine);
  return found >= 0 ? found : fallback;
}

export interface Context {
  shell: ReturnType<typeof startShell>;
  runner?: SessionRunner;
}

/** The runner's API and emulator ports written as the block writes them (3000, or the port its comment names). */
function docPorts(output: string, block: Block, runner: SessionRunner | undefined): string {
  if (!runner) return output;
  const text = `${block.comment}\n${block.body.join('\n')}`;
  let result = output;
  for (const [url, host] of [
    [runner.ready.apiUrl, 'localhost'],
    [runner.ready.endpoint, '127\\.0\\.0\\.1'],
  ] as const) {
    const port = new URL(url).port;
    const docPort = new RegExp(`${host}:(\\d+)`).exec(text)?.[1] ?? (host === 'localhost' ? '3000' : undefined);
    if (docPort) result = result.replaceAll(`${new URL(url).hostname}:${port}`, `${new URL(url).hostname}:${docPort}`);
  }
  return result;
}

/** Run a block's commands in the session's shell, a doc's image ids in a command replaced by the fresh ones. */
export async function freshBody(block: Block, example: Example, context: Context): Promise<string[]> {
  if (example.produce) return example.produce(block);
  const ids = new Map<string, string>();
  const body: string[] = [];
  for (const [index, command] of block.commands.entries()) {
    let shown = command.text;
    for (const [docId, freshId] of ids) shown = shown.replaceAll(docId, freshId);
    const text = context.runner
      ? shown
          .replace(/http:\/\/localhost:\d+/g, context.runner.ready.apiUrl)
          .replace(/http:\/\/127\.0\.0\.1:\d+/g, context.runner.ready.endpoint)
      : shown;
    // A terminal shows no carriage returns (curl -D prints them); the doc's ports stand for the runner's.
    const raw = (await context.shell.run(text)).replace(/\r$/gm, '');
    let output = docPorts(cutPresignedQueries(raw), block, context.runner);
    if (example.cut) output = example.cut(output, index);
    const freshIds = idsOf(raw);
    idsOf(command.output.join('\n')).forEach((id, at) => {
      const fresh = freshIds[at];
      if (fresh && !ids.has(id)) ids.set(id, fresh);
    });
    body.push(`$ ${shown}`, ...(output === '' ? [] : output.replace(/\n+$/, '').split('\n')));
    if (example.after?.command === index) await context.shell.run(example.after.run(raw));
  }
  return body;
}

/** Every example block of the docs, by id; an id twice, or a block with no session, is an error. */
export function docBlocks(files = DOC_FILES, read = readDoc): Map<string, Block> {
  const blocks = new Map<string, Block>();
  for (const file of files) {
    for (const block of blocksOf(file, read(file))) {
      const other = blocks.get(block.id);
      if (other)
        throw new Error(`${block.file}:${block.line}: example ${block.id} is also ${other.file}:${other.line}`);
      blocks.set(block.id, block);
    }
  }
  return blocks;
}

/** What the registry and the docs disagree on: blocks without a session, sessions' ids no doc has, blocks unlabelled. */
export function coverageProblems(blocks: Map<string, Block>, files = DOC_FILES, read = readDoc): string[] {
  const registered = new Set(
    SESSIONS.flatMap((session) => session.steps.flatMap((step) => ('id' in step ? [step.id] : []))),
  );
  const problems = [...blocks.values()]
    .filter((block) => !registered.has(block.id))
    .map(
      (block) => `${block.file}:${block.line}: example ${block.id} is in no session of test/docs/examples/sessions.ts`,
    );
  for (const id of registered) if (!blocks.has(id)) problems.push(`sessions.ts: example ${id} is in no doc`);
  for (const file of files) {
    for (const fence of uncommentedOutputs(read(file))) {
      if (!UNCHECKED.some((entry) => entry.file === file && entry.fence === fence)) {
        problems.push(
          `${file}:${fence}: a console block without an output-of comment (add one, or say in UNCHECKED why not)`,
        );
      }
    }
  }
  return problems;
}

export interface SessionResult {
  session: string;
  checked: Array<{ block: Block; fresh: string[] }>;
  differences: Difference[];
  seconds: number;
}

/** Run one session: its runner (from `runners`, which keeps it for the next session), its shell, its steps in order. */
export async function runSession(
  session: Session,
  blocks: Map<string, Block>,
  runners: Runners,
): Promise<SessionResult> {
  const started = Date.now();
  const runner = await runners.runnerFor(session);
  const env: NodeJS.ProcessEnv = {
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ...(runner ? { API: runner.ready.apiUrl, EP: runner.ready.endpoint } : {}),
  };
  const shell = startShell(env);
  const result: SessionResult = { session: session.name, checked: [], differences: [], seconds: 0 };
  try {
    for (const step of session.steps) {
      if ('setup' in step) {
        await shell.run(step.setup);
        continue;
      }
      const block = blocks.get(step.id);
      if (!block) continue;
      const fresh = await freshBody(block, step, { shell, runner });
      result.checked.push({ block, fresh });
      const difference = compare(block, fresh);
      if (difference) result.differences.push(difference);
    }
  } catch (error) {
    throw new Error(
      `${session.name}: ${(error as Error).message}${runner ? `\nthe runner's log:\n${runner.log()}` : ''}`,
    );
  } finally {
    shell.close();
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

/** Write fresh bodies into their docs, each block found again by its id. */
export function update(results: Array<{ block: Block; fresh: string[] }>): string[] {
  // Only what differs once normalised: a block that still holds is left with its ids and times.
  results = results.filter(({ block, fresh }) => compare(block, fresh) !== undefined);
  const changed: string[] = [];
  for (const file of new Set(results.map(({ block }) => block.file))) {
    let lines = readDoc(file).split('\n');
    for (const { block, fresh } of results.filter((result) => result.block.file === file)) {
      const now = blocksOf(file, lines.join('\n')).find((candidate) => candidate.id === block.id);
      if (!now) continue;
      lines = [...lines.slice(0, now.bodyStart), ...fresh, ...lines.slice(now.bodyStart + now.body.length)];
      changed.push(`${file}:${now.line} (${block.id})`);
    }
    writeFileSync(path.join(ROOT, file), lines.join('\n'));
  }
  return changed;
}

async function main(argv: string[]): Promise<number> {
  const updating = argv.includes('--update');
  const only = argv.filter((arg) => !arg.startsWith('--'));
  const started = Date.now();
  const blocks = docBlocks();
  const problems = coverageProblems(blocks);
  for (const problem of problems) console.error(problem);
  const results: SessionResult[] = [];
  // One moto for every runner (the test run's, if this runs inside one): runners.ts empties it between sessions. The
  // run directory holds the shared runners of the sessions on a profile; the sessions' own run the offline models,
  // as npm start does (a jest run replays their recorded answers).
  await holdSharedMoto();
  holdRunDir();
  const runners = sessionRunners({ realModels: true });
  try {
    for (const session of SESSIONS) {
      if (only.length > 0 && !only.some((word) => session.name.includes(word))) continue;
      const result = await runSession(session, blocks, runners);
      console.error(
        `${result.session}: ${result.checked.length} blocks, ${result.differences.length} stale, ${result.seconds.toFixed(1)} s`,
      );
      results.push(result);
    }
  } finally {
    await runners.stop();
    await releaseRunDir();
    await releaseSharedMoto();
  }
  const differences = results.flatMap((result) => result.differences);
  const checked = results.reduce((sum, result) => sum + result.checked.length, 0);
  if (updating) {
    const changed = update(results.flatMap((result) => result.checked));
    console.error(
      changed.length > 0 ? `rewrote ${changed.join(', ')}` : 'every block was already as the code prints it',
    );
  } else {
    for (const difference of differences) console.error(`\n${difference.message}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(
    `\ndocs examples: ${checked} of ${blocks.size} blocks checked, ${differences.length} stale, ${UNCHECKED.length} not checkable, ${runners.started} runners of the sessions' own (shared: ${runners.profiles.join(', ') || 'none'}), in ${seconds} s`,
  );
  return problems.length > 0 || (!updating && differences.length > 0) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 2;
    },
  );
}
