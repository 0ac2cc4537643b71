import { readFileSync } from 'node:fs';
import { PROFILE_SOURCE_BUCKET } from '../support/runner-profiles';

/** Where the end-to-end suite points: the local runner it started, or a target given by environment variables. */
export interface E2eTarget {
  apiUrl: string;
  apiKey?: string;
  /** Sent by the suite's default client (alice's token when the suite has users). */
  bearerToken?: string;
  /** Three callers with their tokens and owner ids: two users and an admin (the ownership tests need them). */
  users?: Record<'alice' | 'bob' | 'admin', { token: string; owner: string }>;
  /** The local runner's `POST /_local/token`, to get a token that expires at once. */
  tokenUrl?: string;
  /** For a deployed stack: a token of the pool that has expired (the runner's suite makes its own). */
  expiredToken?: string;
  /** AWS endpoint (moto, LocalStack); undefined for real AWS. */
  endpoint?: string;
  bucket: string;
  table: string;
  /** The albums table (the stack's AlbumsTableName output; E2E_ALBUMS_TABLE), read by the albums suite. */
  albumsTable?: string;
  queueUrl: string;
  dlqUrl: string;
  eventBus: string;
  /**
   * A bucket the deployment has as a whole `sourceBuckets` entry (no prefix, no owner), for the backfill suites, each
   * under a prefix of its own. The runner's is E2E_SOURCE_BUCKET; a deployed stack's is `E2E_SOURCE_BUCKET`.
   * @default E2E_SOURCE_BUCKET
   */
  sourceBucket?: string;
  /** Seconds the suite may wait for one image; a deployed stack's cold starts need more than the runner. */
  timeoutSeconds: number;
  /** Seconds to wait for a failing message to reach the DLQ (5 receives x the visibility timeout when deployed). */
  dlqTimeoutSeconds: number;
}

export const TARGET_FILE_ENV = 'E2E_TARGET_FILE';

/** The runner's source bucket for the backfill suites (the `jwt` profile's `-c sourceBuckets`). */
export const E2E_SOURCE_BUCKET = PROFILE_SOURCE_BUCKET;

/** The target's callers, for a suite about owners: one without them cannot run (the runner without --auth jwt). */
export function usersOf(target: E2eTarget): NonNullable<E2eTarget['users']> {
  if (!target.users) {
    throw new Error('this suite needs a target with users (the runner with --auth jwt, or E2E_TOKEN_* for a stack)');
  }
  return target.users;
}

export function loadTarget(): E2eTarget {
  const file = process.env[TARGET_FILE_ENV];
  if (!file) throw new Error('the e2e global setup did not run (E2E_TARGET_FILE is unset)');
  return JSON.parse(readFileSync(file, 'utf8')) as E2eTarget;
}
