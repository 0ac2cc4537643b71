/**
 * The Pillow contender as a long-lived child (`pillow.py`), so the bench can hand it one request at a
 * time between ours and the reference pipeline: machine noise then hits all three alike. Pillow times its own work;
 * the pipe's round trip is not counted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PYTHON } from '../support/child';
import type { PillowRequest } from './requests';

const SCRIPT = path.join(__dirname, 'pillow.py');

export type PillowAnswer = { ms: number; bytes: number; width: number; height: number } | { error: string };

export interface PillowChild {
  versions: { pillow: string; python: string };
  render(key: string, request: PillowRequest): Promise<PillowAnswer>;
  close(): Promise<void>;
}

/** Starts the script with every original loaded into its memory; resolves once it says READY. */
export async function startPillow(files: Record<string, string>, logo: string): Promise<PillowChild> {
  const child = spawn(PYTHON, [SCRIPT, JSON.stringify({ files, logo })], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (prefix: string): Promise<string> => {
    const { value, done } = await lines.next();
    if (done || typeof value !== 'string' || !value.startsWith(prefix)) {
      throw new Error(`pillow.py: expected ${prefix.trim()}, got ${value ?? 'end of output'}: ${stderr}`);
    }
    return value.slice(prefix.length);
  };
  const versions = JSON.parse(await next('READY ')) as PillowChild['versions'];
  // One request in flight at a time: the bench awaits each answer before sending the next.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    versions,
    render(key, request) {
      const answer = queue.then(async () => {
        child.stdin.write(`${JSON.stringify({ key, request })}\n`);
        return JSON.parse(await next('RESULT ')) as PillowAnswer;
      });
      queue = answer.catch(() => undefined);
      return answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('close', () => resolve());
        child.stdin.end();
      }),
  };
}
