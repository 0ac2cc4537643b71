import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { type E2eTarget, TARGET_FILE_ENV } from './target';

declare global {
  // The runner, for the teardown (same process as this setup).
  var e2eRunner: RunnerProcess | undefined;
}

/**
 * Point the suite at its target.
 * - E2E_API_URL set: an already running pipeline (LocalStack deployment, a deployed stack, a runner you
 *   started); the other E2E_* variables name its resources (see the README).
 * - Otherwise: start the local runner on moto (`npm start` with a free port and a unique prefix) and use it.
 */
export default async function globalSetup(): Promise<void> {
  const targetFile = path.join(mkdtempSync(path.join(tmpdir(), 'image-intel-e2e-')), 'target.json');
  process.env[TARGET_FILE_ENV] = targetFile;
  if (process.env.E2E_API_URL) {
    writeFileSync(targetFile, JSON.stringify(targetFromEnv(process.env)));
    return;
  }
  const runner = await startRunner({ prefix: `e2e-${Date.now().toString(36)}` });
  globalThis.e2eRunner = runner;
  const { ready } = runner;
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
