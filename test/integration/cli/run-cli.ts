import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../../../bin/image-intel.js');

/** Preloaded into the CLI: reports on stderr whether ONNX Runtime was ever loaded. */
const TRACE_ONNX = join(__dirname, 'trace-onnx.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  records: Record<string, unknown>[];
}

/** Runs the installed command the way a user does (built by `npm ci`), stdout and stderr not TTYs. */
export function run(...args: string[]): Promise<Run> {
  return runWithEnv({}, ...args);
}

/** The same, with these environment variables added to the test's. */
export function runWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', TRACE_ONNX, BIN, ...args],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? Number(error.code ?? 1) : 0;
        const lines = stdout.split('\n').filter((line) => line.startsWith('{"'));
        resolve({ code, stdout, stderr, records: lines.map((line) => JSON.parse(line)) });
      },
    );
  });
}
