#!/usr/bin/env node
/**
 * `node test/support/ci/together.js lint typecheck build`: the npm scripts named, all at once, each one's output
 * shown whole when it ends (not interleaved), with how long it took; exits 1 if any failed. `npm test` runs its
 * checks this way: typecheck (about a minute, one core) no longer waits for lint, nor build for both.
 */
const { spawn } = require('node:child_process');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: together.js <npm script>...');
  process.exit(2);
}

const runs = scripts.map(
  (script) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = spawn(npm, ['run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      const output = [];
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
      const end = (code, error) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(Buffer.concat(output));
        if (error) process.stdout.write(`${error.stack}\n`);
        console.log(`npm run ${script}: ${code === 0 ? 'ok' : `failed (${code})`} in ${seconds} s\n`);
        resolve(code === 0);
      };
      child.once('error', (error) => end(1, error));
      child.once('close', (code, signal) => end(code ?? signal));
    }),
);

Promise.all(runs).then((passed) => {
  process.exitCode = passed.every(Boolean) ? 0 : 1;
});
