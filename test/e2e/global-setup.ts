import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { holdRunDir, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { holdSharedMoto } from '../support/shared-moto';
import { E2E_SOURCE_BUCKET, type E2eTarget, TARGET_FILE_ENV } from './target';

declare global {
  // The runner, for the teardown (same process as this setup).
  var e2eRunner: SharedRunner | undefined;
}

/**
 * Point the suite at its target.
 * - E2E_API_URL set: an already running pipeline (LocalStack deployment, a deployed stack, a runner you
 *   started); the other E2E_* variables name its resources (see the README).
 * - Otherwise: the run's shared `jwt` runner (runner-profiles.ts), on the run's moto (shared-moto.ts), started here.
 */
export default async function globalSetup(): Promise<void> {
  const targetFile = path.join(mkdtempSync(path.join(tmpdir(), 'image-intel-e2e-')), 'target.json');
  process.env[TARGET_FILE_ENV] = targetFile;
  if (process.env.E2E_API_URL) {
    writeFileSync(targetFile, JSON.stringify(targetFromEnv(process.env)));
    return;
  }
  // With tokens the runner signs and verifies, as API Gateway's Cognito authorizer would: every test is a user.
  await holdSharedMoto();
  holdRunDir();
  const runner = await profileRunner('jwt');
  globalThis.e2eRunner = runner;
  const { ready } = runner;
  const user = async (name: string, admin = false) => ({
    token: await runner.token({ user: name, admin }),
    owner: name,
  });
  // Names of e2e's own: the docs check signs in as the bare alice, bob and root on this profile and shows their lists.
  const users = { alice: await user('e2e-alice'), bob: await user('e2e-bob'), admin: await user('e2e-root', true) };
  const target: E2eTarget = {
    apiUrl: ready.apiUrl,
    bearerToken: users.alice.token,
    users,
    tokenUrl: ready.auth.mode === 'jwt' ? ready.auth.tokenUrl : undefined,
    endpoint: ready.endpoint,
    bucket: ready.bucket,
    table: ready.table,
    albumsTable: ready.tables.albums,
    queueUrl: ready.queueUrl,
    dlqUrl: ready.dlqUrl,
    eventBus: ready.eventBus,
    sourceBucket: E2E_SOURCE_BUCKET,
    // One runner serves every file, three at a time: an image may queue behind pipeline's burst of 60 and a
    // backfill, which on 2 busy cores is more than a minute of work. The bound a deployed stack gets, then.
    timeoutSeconds: 180,
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
    bearerToken: env.E2E_BEARER_TOKEN ?? env.E2E_TOKEN_ALICE,
    users: usersFromEnv(env),
    expiredToken: env.E2E_EXPIRED_TOKEN,
    endpoint: env.AWS_ENDPOINT_URL,
    bucket: need('E2E_BUCKET'),
    table: need('E2E_TABLE'),
    albumsTable: env.E2E_ALBUMS_TABLE,
    queueUrl: need('E2E_QUEUE_URL'),
    dlqUrl: need('E2E_DLQ_URL'),
    eventBus: need('E2E_EVENT_BUS'),
    sourceBucket: env.E2E_SOURCE_BUCKET ?? E2E_SOURCE_BUCKET,
    timeoutSeconds: Number(env.E2E_TIMEOUT_SECONDS ?? 180),
    dlqTimeoutSeconds: Number(env.E2E_DLQ_TIMEOUT_SECONDS ?? 2400),
  };
}

/** E2E_TOKEN_ALICE, E2E_TOKEN_BOB, E2E_TOKEN_ADMIN (ID tokens) and E2E_OWNER_* (their subs), all or none. */
function usersFromEnv(env: NodeJS.ProcessEnv): E2eTarget['users'] {
  const names = ['alice', 'bob', 'admin'] as const;
  const given = names.map((name) => ({
    name,
    token: env[`E2E_TOKEN_${name.toUpperCase()}`],
    owner: env[`E2E_OWNER_${name.toUpperCase()}`],
  }));
  if (given.every((user) => !user.token)) return undefined;
  const missing = given.filter((user) => !user.token || !user.owner).map((user) => user.name);
  if (missing.length > 0) throw new Error(`E2E_TOKEN_* and E2E_OWNER_* must be set for each of: ${missing.join(', ')}`);
  return Object.fromEntries(
    given.map((user) => [user.name, { token: user.token, owner: user.owner }]),
  ) as E2eTarget['users'];
}
