import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type E2eTarget, TARGET_FILE_ENV } from './target';

const ROOT = path.join(__dirname, '../..');

declare global {
  // The runner child, for the teardown (same process as this setup).
  var e2eRunner: ChildProcess | undefined;
}

/**
 * Point the suite at its target.
 * - E2E_API_URL set: an already running pipeline (LocalStack deployment, a deployed stack, a runner you
 *   started); the other E2E_* variables name its resources (see the README).
 * - Otherwise: start the local runner on moto (`npm start` with a free port and a unique prefix) and use it.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-intel-e2e-'));
  const targetFile = path.join(dir, 'target.json');
  process.env[TARGET_FILE_ENV] = targetFile;
  if (process.env.E2E_API_URL) {
    writeFileSync(targetFile, JSON.stringify(targetFromEnv(process.env)));
    return;
  }
  const readyFile = path.join(dir, 'ready.json');
  const compiled = path.join(ROOT, 'dist/lambdas/local/main.js');
  const [command, script] = existsSync(compiled)
    ? [process.execPath, [compiled]]
    : [path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'lambdas/local/main.ts')]];
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const { PORT: _port, AWS_ENDPOINT_URL: _endpoint, ...env } = process.env;
  const child = spawn(
    command,
    [
      ...script,
      '--port',
      '0',
      '--inference',
      'none',
      '--prefix',
      prefix,
      '--ready-file',
      readyFile,
      '--retry-delay',
      '1',
    ],
    { cwd: ROOT, env: { ...env, POWERTOOLS_LOG_LEVEL: 'ERROR' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  globalThis.e2eRunner = child;
  const deadline = Date.now() + 90_000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) throw new Error(`the local runner exited (${child.exitCode}):\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the local runner was not ready within 90 s:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8'));
  const target: E2eTarget = {
    apiUrl: ready.apiUrl,
    apiKey: ready.apiKey,
    endpoint: ready.endpoint,
    bucket: ready.bucket,
    table: ready.table,
    queueUrl: ready.queueUrl,
    dlqUrl: ready.dlqUrl,
    eventBus: ready.eventBus,
    timeoutSeconds: 60,
    dlqTimeoutSeconds: 60,
  };
  writeFileSync(targetFile, JSON.stringify(target));
}

function targetFromEnv(env: NodeJS.ProcessEnv): E2eTarget {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`E2E_API_URL is set, so ${name} must be set too (see README: end-to-end tests)`);
    return value;
  };
  return {
    apiUrl: need('E2E_API_URL'),
    apiKey: env.E2E_API_KEY,
    bearerToken: env.E2E_BEARER_TOKEN,
    endpoint: env.AWS_ENDPOINT_URL,
    bucket: need('E2E_BUCKET'),
    table: need('E2E_TABLE'),
    queueUrl: need('E2E_QUEUE_URL'),
    dlqUrl: need('E2E_DLQ_URL'),
    eventBus: need('E2E_EVENT_BUS'),
    timeoutSeconds: Number(env.E2E_TIMEOUT_SECONDS ?? 180),
    dlqTimeoutSeconds: Number(env.E2E_DLQ_TIMEOUT_SECONDS ?? 2400),
  };
}
