import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Block } from './blocks';
import { ROOT } from './blocks';

/*
 * `npm start`'s banner, from `npm start -- --port N` itself (npm's own lines included): the runner is stopped as
 * soon as it has printed `Ctrl-C stops everything.`.
 */

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let banner: Promise<string[]> | undefined;
const LAST_LINE = 'Ctrl-C stops everything.';

async function run(): Promise<string[]> {
  const port = await freePort();
  const { PORT: _port, AWS_ENDPOINT_URL: _endpoint, ...inherited } = process.env;
  // A data folder of its own, never the user's: the banner shows it as the default one, where a user's is.
  const library = path.join(mkdtempSync(path.join(tmpdir(), 'image-intel-banner-')), 'library');
  const child = spawn('npm', ['start', '--', '--port', String(port), '--data-dir', library], {
    cwd: ROOT,
    detached: true,
    env: { ...inherited, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // About 15 s on a quiet machine; a full CI run (four jest workers on two cores) has made it five times slower.
  const printed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no banner in 240 s:\n${text}`)), 240_000);
    const take = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes(LAST_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before its banner:\n${text}`)));
  });
  try {
    await printed;
  } finally {
    // The whole group: npm, tsx, the runner and the moto it started.
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    rmSync(path.dirname(library), { recursive: true, force: true });
  }
  // npm's config warnings depend on the machine's npmrc, not on the project. What the runner says while it stops
  // (`SIGTERM: stopping...`, printed or not depending on how fast the kill lands) is not the banner.
  return text
    .slice(0, text.indexOf(LAST_LINE) + LAST_LINE.length)
    .replaceAll(`localhost:${port}`, 'localhost:<port>')
    .replaceAll(`--port ${port}`, '--port <port>')
    .replaceAll(` --data-dir ${library}`, '')
    .replaceAll(library, '.local/library')
    .replace(/\n+$/, '')
    .split('\n')
    .filter((line) => !line.startsWith('npm warn'));
}

/** The banner with the block's port (`npm start -- --port 3222`) for the free one it was run on. */
async function bannerFor(block: Block): Promise<string[]> {
  banner ??= run();
  const port = /--port (\d+)/.exec(block.commands[0]?.text ?? '')?.[1] ?? '3000';
  return (await banner).map((line) => line.replaceAll('<port>', port));
}

/** `$ npm start -- --port N` and what it prints, up to `Ctrl-C stops everything.` */
export async function npmStartBanner(block: Block): Promise<string[]> {
  return [`$ ${block.commands[0]?.text}`, ...(await bannerFor(block))];
}

/** The first lines of the banner itself, without npm's, as many as the block shows. */
export async function bannerStart(block: Block): Promise<string[]> {
  const lines = await bannerFor(block);
  const start = lines.findIndex((line) => line.startsWith('image-intel local pipeline'));
  return [`$ ${block.commands[0]?.text}`, ...lines.slice(start, start + (block.commands[0]?.output.length ?? 0))];
}
