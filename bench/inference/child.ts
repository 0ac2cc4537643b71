import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs one benchmark child (`node <args>`) to completion and parses its `RESULT <json>` line; `cwd` is the tree
 * whose worker runs (budget.ts runs a baseline commit's). The error carries the tail of its stderr.
 */
export function runChild<R>(args: string[], cwd?: string): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd && { cwd }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      // Errors from opencv.js come with its whole minified source; the tail is what matters.
      if (code !== 0 || !line)
        reject(new Error(`${path.basename(args.at(-2) ?? '')} exited ${code}: ${stderr.slice(-1500)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as R);
    });
  });
}
