import { randomBytes } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { nextKeySet, parseSigningKeySet, type SigningKeySet, signingKey } from '../../signing-keys';

/**
 * One step of a rotation of the rendition signing keys, as Secrets Manager calls it with the new version's token:
 * 1. check the secret is rotating and the token is its AWSPENDING version (nothing to do if it is already AWSCURRENT);
 * 2. createSecret: put the key set with a new key first (`nextKeySet`) as AWSPENDING, unless that version has a value;
 * 3. setSecret: nothing, since no other service holds the keys: signers and verifiers read this secret;
 * 4. testSecret: the pending set must be exactly the current one rotated, so no URL in use loses its key;
 * 5. finishSecret: move AWSCURRENT to the new version.
 * Each step may run again after a failure or a retry, so each does nothing when its work is already done.
 */

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';

/** The event, checked: Secrets Manager is the only caller, but a test invoke from the console is not. */
export const RotationEventSchema = z.object({
  SecretId: z.string().min(1),
  ClientRequestToken: z.string().min(1),
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
}) satisfies z.ZodType<SecretsManagerRotationEvent>;

/** What a step did, for the log line and the tests. */
export type RotationOutcome =
  | 'created'
  | 'already-created'
  | 'nothing-to-set'
  | 'tested'
  | 'finished'
  | 'already-current';

/** The secret or its versions are not in a state a rotation can go on from; Secrets Manager retries, then gives up. */
export class RotationError extends AppError {
  override readonly name = 'RotationError';
}

export interface RotationDeps {
  readonly client: SecretsManagerClient;
  /** Seconds an old key is kept after its successor is made (`minimumOverlapSeconds` of the deployment). */
  readonly overlapSeconds: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * The new key's secret. @default 48 random bytes from `crypto.randomBytes`, base64url (64 characters, 384 bits):
   * made here rather than by `GetRandomPassword`, which would need a permission on every resource ("*").
   */
  readonly newSecret?: () => string;
}

/** Run one rotation step for `event.ClientRequestToken`, the version being made. */
export async function rotateSigningKey(
  event: SecretsManagerRotationEvent,
  deps: RotationDeps,
): Promise<RotationOutcome> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const versions = await stagesByVersion(deps.client, secretId, token);
  if (versions[token]?.includes(CURRENT)) return 'already-current';
  switch (step) {
    case 'createSecret':
      return createSecret(deps, secretId, token);
    case 'setSecret':
      return 'nothing-to-set';
    case 'testSecret':
      return testSecret(deps, secretId, token);
    case 'finishSecret':
      return finishSecret(deps, secretId, token, versions);
  }
}

/** The secret's versions and their stages, after checking it rotates and `token` is its pending version. */
async function stagesByVersion(
  client: SecretsManagerClient,
  secretId: string,
  token: string,
): Promise<Record<string, string[]>> {
  const description = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!description.RotationEnabled) throw new RotationError(`secret ${secretId} is not enabled for rotation`);
  const versions = description.VersionIdsToStages ?? {};
  const stages = versions[token];
  if (!stages) throw new RotationError(`version ${token} is not a version of secret ${secretId}`);
  if (!stages.includes(CURRENT) && !stages.includes(PENDING)) {
    throw new RotationError(`version ${token} of secret ${secretId} is not staged ${PENDING} for rotation`);
  }
  return versions;
}

async function createSecret(deps: RotationDeps, secretId: string, token: string): Promise<RotationOutcome> {
  const current = await readKeySet(deps.client, secretId, { VersionStage: CURRENT });
  if ((await readPending(deps.client, secretId, token)) !== undefined) return 'already-created';
  const now = deps.now?.() ?? new Date();
  const secret = deps.newSecret?.() ?? randomBytes(48).toString('base64url');
  const next = nextKeySet(current, now, secret, { overlapSeconds: deps.overlapSeconds });
  await deps.client.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: JSON.stringify(next),
      VersionStages: [PENDING],
    }),
  );
  return 'created';
}

/**
 * The pending set must be the current one with one new key in front and the old keys `nextKeySet` keeps, with the
 * same secrets: then the key signers use now still verifies, and every URL signed before the rotation too. A set
 * made from a current value that changed since (a manual write) fails here rather than drop its keys.
 */
async function testSecret(deps: RotationDeps, secretId: string, token: string): Promise<RotationOutcome> {
  const pending = await readPending(deps.client, secretId, token);
  if (pending === undefined) throw new RotationError(`version ${token} of secret ${secretId} has no value to test`);
  const current = await readKeySet(deps.client, secretId, { VersionStage: CURRENT });
  const [added, ...kept] = pending.keys;
  if (!added || current.keys.some((key) => key.id === added.id || key.secret === added.secret)) {
    throw new RotationError(`version ${token}: its newest key is not a new key`);
  }
  const expected = nextKeySet(current, new Date(added.created), added.secret, {
    overlapSeconds: deps.overlapSeconds,
    id: added.id,
  }).keys.slice(1);
  const same = (a: SigningKeySet['keys'], b: SigningKeySet['keys']) =>
    a.length === b.length && a.every((key, i) => key.id === b[i]?.id && key.secret === b[i]?.secret);
  if (!same(kept, expected)) {
    const ids = (keys: SigningKeySet['keys']) => keys.map((key) => key.id).join(', ') || 'none';
    throw new RotationError(
      `version ${token}: keeps the keys ${ids(kept)} where rotating the current set keeps ${ids(expected)}`,
    );
  }
  const inUse = signingKey(current, deps.now?.() ?? new Date());
  if (!pending.keys.some((key) => key.id === inUse.id)) {
    throw new RotationError(`version ${token}: drops ${inUse.id}, the key signers use now`);
  }
  return 'tested';
}

async function finishSecret(
  deps: RotationDeps,
  secretId: string,
  token: string,
  versions: Record<string, string[]>,
): Promise<RotationOutcome> {
  const previous = Object.keys(versions).find((id) => versions[id]?.includes(CURRENT));
  await deps.client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: CURRENT,
      MoveToVersionId: token,
      RemoveFromVersionId: previous,
    }),
  );
  return 'finished';
}

/** The pending version's key set, or undefined while it has no value (createSecret has not put one yet). */
async function readPending(
  client: SecretsManagerClient,
  secretId: string,
  token: string,
): Promise<SigningKeySet | undefined> {
  try {
    return await readKeySet(client, secretId, { VersionId: token, VersionStage: PENDING });
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function readKeySet(
  client: SecretsManagerClient,
  secretId: string,
  version: { VersionId?: string; VersionStage: string },
): Promise<SigningKeySet> {
  const value = await client.send(new GetSecretValueCommand({ SecretId: secretId, ...version }));
  if (value.SecretString === undefined)
    throw new RotationError(`secret ${secretId} (${version.VersionStage}) has no string value`);
  return parseSigningKeySet(value.SecretString);
}
