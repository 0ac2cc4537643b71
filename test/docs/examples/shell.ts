import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './blocks';

/*
 * One bash, in the project, that runs an example's commands as the doc writes them, one at a time, so that what one
 * command sets (`ID=$(...)`, `export ...`) the next one sees, as in a terminal. `npx image-intel` is the project's
 * own bin (what npx runs in the project, without npx's first-run link and build).
 */

const DONE = '__docs_example_done__';
const PRELUDE = `npx() { if [ "$1" = image-intel ]; then shift; node "${ROOT}/bin/image-intel.js" "$@"; else command npx "$@"; fi; }`;

export interface Shell {
  /** Run one command (stdin empty, stderr with stdout, as a terminal shows both) and return what it printed. */
  run(command: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function startShell(env: NodeJS.ProcessEnv = {}): Shell {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-examples-shell-'));
  const child: ChildProcessWithoutNullStreams = spawn('bash', ['--noprofile', '--norc'], {
    cwd: ROOT,
    // DOCS_TMP: where a session's setup puts its files (removed with the shell).
    env: { ...process.env, NO_COLOR: '1', POWERTOOLS_LOG_LEVEL: 'ERROR', DOCS_TMP: dir, ...env },
  });
  let buffer = '';
  let waiting: ((text: string) => void) | undefined;
  const take = () => {
    const end = buffer.indexOf(`\n${DONE}\n`);
    if (end < 0 || !waiting) return;
    const text = buffer.slice(0, end);
    buffer = buffer.slice(end + DONE.length + 2);
    const resolve = waiting;
    waiting = undefined;
    resolve(text);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    take();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
  });
  child.stdin.write(`${PRELUDE}\n`);
  let count = 0;
  return {
    run: (command, timeoutMs = 180_000) =>
      new Promise<string>((resolve, reject) => {
        // The command is read from a file, so nothing it runs can read the following commands as its stdin.
        const file = path.join(dir, `command-${++count}.sh`);
        writeFileSync(file, `${command}\n`);
        const timer = setTimeout(
          () => reject(new Error(`no answer in ${timeoutMs / 1000} s from: ${command}`)),
          timeoutMs,
        );
        waiting = (text) => {
          clearTimeout(timer);
          resolve(text);
        };
        child.stdin.write(`{ source ${file}; } </dev/null 2>&1; printf '\\n${DONE}\\n'\n`);
      }),
    close: () => {
      child.stdin.end();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
