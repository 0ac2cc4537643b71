import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ROTATION_OPERATIONS } from '../../../../support/permissions/declared';
import 'aws-sdk-client-mock-jest';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import {
  type RotationDeps,
  RotationEventSchema,
  rotateSigningKey,
} from '../../../../../lambdas/renditions/functions/rotate-rendition-key/rotate';
import {
  INITIAL_KEY_ID,
  nextKeySet,
  parseSigningKeySet,
  type SigningKeySet,
} from '../../../../../lambdas/renditions/signing-keys';

const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:RenditionSigningKey-AbCdEf';
const TOKEN = 'c0ffee00-0000-4000-8000-000000000002';
const OLD_TOKEN = 'c0ffee00-0000-4000-8000-000000000001';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const OVERLAP = 3600;
const GENERATED = JSON.stringify({ secret: 'g'.repeat(64) });
const NEW_SECRET = 'n'.repeat(64);

const secrets = mockClient(SecretsManagerClient);
const deps: RotationDeps = {
  client: new SecretsManagerClient({ region: 'eu-west-1' }),
  overlapSeconds: OVERLAP,
  now: () => NOW,
  newSecret: () => NEW_SECRET,
};
const event = (Step: SecretsManagerRotationEvent['Step']): SecretsManagerRotationEvent => ({
  SecretId: SECRET_ID,
  ClientRequestToken: TOKEN,
  Step,
});

/** The secret as DescribeSecret shows it: rotating, the old version current, the token pending. */
function secretDescribes(stages: Record<string, string[]> = { [OLD_TOKEN]: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] }) {
  secrets.on(DescribeSecretCommand).resolves({ ARN: SECRET_ID, RotationEnabled: true, VersionIdsToStages: stages });
}

function currentValue(value: string) {
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_ID, VersionStage: 'AWSCURRENT' })
    .resolves({ SecretString: value });
}

function pendingValue(value: string | undefined) {
  const pending = secrets.on(GetSecretValueCommand, {
    SecretId: SECRET_ID,
    VersionId: TOKEN,
    VersionStage: 'AWSPENDING',
  });
  if (value === undefined) {
    pending.rejects(
      new ResourceNotFoundException({ message: "can't find the specified secret version", $metadata: {} }),
    );
  } else {
    pending.resolves({ SecretString: value });
  }
}

/** What createSecret puts for the generated first value, at NOW. */
const rotatedOnce = (): SigningKeySet =>
  nextKeySet(parseSigningKeySet(GENERATED), NOW, NEW_SECRET, { overlapSeconds: OVERLAP });

describe('rotating the rendition signing key', () => {
  beforeEach(() => secrets.reset());

  describe('createSecret', () => {
    it('puts the current set with a new key first as the pending version of the token', async () => {
      secretDescribes();
      currentValue(GENERATED);
      pendingValue(undefined);
      await expect(rotateSigningKey(event('createSecret'), deps)).resolves.toBe('created');

      expect(secrets).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
      const put = secrets.commandCalls(PutSecretValueCommand)[0]?.args[0].input;
      expect(put).toMatchObject({ SecretId: SECRET_ID, ClientRequestToken: TOKEN, VersionStages: ['AWSPENDING'] });
      const set = parseSigningKeySet(put?.SecretString as string);
      expect(set.keys.map((key) => key.id)).toEqual(['20260301T120000Z', INITIAL_KEY_ID]);
      expect(set.keys[0]).toEqual({ id: '20260301T120000Z', secret: NEW_SECRET, created: NOW.toISOString() });
    });

    it('makes a 64-character base64url secret from random bytes when none is given', async () => {
      secretDescribes();
      currentValue(GENERATED);
      pendingValue(undefined);
      const { newSecret: _, ...random } = deps;
      await rotateSigningKey(event('createSecret'), random);
      await rotateSigningKey(event('createSecret'), random);
      const secretsPut = secrets
        .commandCalls(PutSecretValueCommand)
        .map((call) => parseSigningKeySet(call.args[0].input.SecretString as string).keys[0]?.secret);
      expect(secretsPut[0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(secretsPut[1]).not.toBe(secretsPut[0]);
    });

    it('does nothing when run again after the pending version got its value', async () => {
      secretDescribes();
      currentValue(GENERATED);
      pendingValue(JSON.stringify(rotatedOnce()));
      await expect(rotateSigningKey(event('createSecret'), deps)).resolves.toBe('already-created');
      expect(secrets).not.toHaveReceivedCommand(PutSecretValueCommand);
    });

    it('lets any other failure to read the pending version fail the step', async () => {
      secretDescribes();
      currentValue(GENERATED);
      secrets
        .on(GetSecretValueCommand, { VersionId: TOKEN })
        .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      await expect(rotateSigningKey(event('createSecret'), deps)).rejects.toThrow('not authorized');
      expect(secrets).not.toHaveReceivedCommand(PutSecretValueCommand);
    });

    it('refuses a current value that is not a key set, without naming its secret', async () => {
      secretDescribes();
      currentValue(JSON.stringify({ secret: 'short' }));
      pendingValue(undefined);
      const failure = rotateSigningKey(event('createSecret'), deps);
      await expect(failure).rejects.toThrow('signing key secret: secret: must be at least 32 characters');
      await expect(failure).rejects.not.toThrow(/short/);
    });
  });

  describe('before any step', () => {
    it('does nothing when the token is already the current version', async () => {
      secretDescribes({ [TOKEN]: ['AWSCURRENT', 'AWSPENDING'], [OLD_TOKEN]: ['AWSPREVIOUS'] });
      for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
        await expect(rotateSigningKey(event(step), deps)).resolves.toBe('already-current');
      }
      expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
      expect(secrets).not.toHaveReceivedCommand(PutSecretValueCommand);
      expect(secrets).not.toHaveReceivedCommand(UpdateSecretVersionStageCommand);
    });

    it('refuses a secret whose rotation is not enabled', async () => {
      secrets.on(DescribeSecretCommand).resolves({ RotationEnabled: false, VersionIdsToStages: {} });
      await expect(rotateSigningKey(event('createSecret'), deps)).rejects.toMatchObject({
        name: 'RotationError',
        message: `secret ${SECRET_ID} is not enabled for rotation`,
      });
    });

    it('refuses a token that is no version of the secret', async () => {
      secretDescribes({ [OLD_TOKEN]: ['AWSCURRENT'] });
      await expect(rotateSigningKey(event('createSecret'), deps)).rejects.toThrow(
        `version ${TOKEN} is not a version of secret ${SECRET_ID}`,
      );
    });

    it('refuses a token that is not staged AWSPENDING', async () => {
      secretDescribes({ [OLD_TOKEN]: ['AWSCURRENT'], [TOKEN]: ['AWSPREVIOUS'] });
      await expect(rotateSigningKey(event('testSecret'), deps)).rejects.toThrow(/is not staged AWSPENDING/);
    });
  });

  describe('setSecret', () => {
    it('has nothing to set: signers and verifiers read the secret itself', async () => {
      secretDescribes();
      await expect(rotateSigningKey(event('setSecret'), deps)).resolves.toBe('nothing-to-set');
      expect(secrets.commandCalls(DescribeSecretCommand)).toHaveLength(1);
      expect(secrets.calls()).toHaveLength(1);
    });
  });

  describe('testSecret', () => {
    it('accepts the pending set createSecret made, and runs again with the same answer', async () => {
      secretDescribes();
      currentValue(GENERATED);
      pendingValue(JSON.stringify(rotatedOnce()));
      await expect(rotateSigningKey(event('testSecret'), deps)).resolves.toBe('tested');
      await expect(rotateSigningKey(event('testSecret'), deps)).resolves.toBe('tested');
    });

    it('accepts a pending set made earlier by a step that is being retried', async () => {
      secretDescribes();
      currentValue(GENERATED);
      const earlier = new Date(NOW.getTime() - 60_000);
      pendingValue(
        JSON.stringify(nextKeySet(parseSigningKeySet(GENERATED), earlier, NEW_SECRET, { overlapSeconds: OVERLAP })),
      );
      await expect(rotateSigningKey(event('testSecret'), deps)).resolves.toBe('tested');
    });

    it('refuses a pending set that dropped a key the URLs in use were signed with', async () => {
      secretDescribes();
      currentValue(GENERATED);
      const onlyNew = { keys: rotatedOnce().keys.slice(0, 1) };
      pendingValue(JSON.stringify(onlyNew));
      await expect(rotateSigningKey(event('testSecret'), deps)).rejects.toThrow(
        `version ${TOKEN}: keeps the keys none where rotating the current set keeps ${INITIAL_KEY_ID}`,
      );
    });

    it('refuses a pending set whose newest key is one the current set has', async () => {
      secretDescribes();
      currentValue(GENERATED);
      pendingValue(GENERATED);
      await expect(rotateSigningKey(event('testSecret'), deps)).rejects.toThrow('its newest key is not a new key');
    });

    it('refuses a pending set made from a current value that changed since', async () => {
      secretDescribes();
      const manual = nextKeySet(parseSigningKeySet(GENERATED), new Date(NOW.getTime() - 1000), 'm'.repeat(64), {
        overlapSeconds: OVERLAP,
        id: 'manual',
      });
      currentValue(JSON.stringify(manual));
      pendingValue(JSON.stringify(rotatedOnce()));
      await expect(rotateSigningKey(event('testSecret'), deps)).rejects.toThrow(/keeps the keys initial where/);
    });

    it('fails when the pending version has no value yet', async () => {
      secretDescribes();
      currentValue(GENERATED);
      pendingValue(undefined);
      await expect(rotateSigningKey(event('testSecret'), deps)).rejects.toThrow(/has no value to test/);
    });
  });

  describe('finishSecret', () => {
    it('moves AWSCURRENT from the old version to the token', async () => {
      secretDescribes();
      await expect(rotateSigningKey(event('finishSecret'), deps)).resolves.toBe('finished');
      expect(secrets).toHaveReceivedCommandWith(UpdateSecretVersionStageCommand, {
        SecretId: SECRET_ID,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: TOKEN,
        RemoveFromVersionId: OLD_TOKEN,
      });
    });

    it('does nothing when run again after it moved the stage', async () => {
      secretDescribes({ [OLD_TOKEN]: ['AWSPREVIOUS'], [TOKEN]: ['AWSCURRENT', 'AWSPENDING'] });
      await expect(rotateSigningKey(event('finishSecret'), deps)).resolves.toBe('already-current');
      expect(secrets).not.toHaveReceivedCommand(UpdateSecretVersionStageCommand);
    });
  });

  describe('the event', () => {
    it('is refused when it is not a rotation step', () => {
      const parsed = RotationEventSchema.safeParse({ ...event('createSecret'), Step: 'deleteSecret' });
      expect(parsed.success).toBe(false);
    });
  });

  it('sends only the operations the permissions check takes a rotation to make (test/support/permissions/declared.ts)', async () => {
    secretDescribes();
    currentValue(GENERATED);
    pendingValue(undefined);
    await rotateSigningKey(event('createSecret'), deps);
    pendingValue(JSON.stringify(rotatedOnce()));
    for (const step of ['setSecret', 'testSecret'] as const) await rotateSigningKey(event(step), deps);
    secretDescribes({ [OLD_TOKEN]: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] });
    await rotateSigningKey(event('finishSecret'), deps);
    const sent = new Set(
      secrets.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, '')),
    );
    expect([...sent].sort()).toEqual([...ROTATION_OPERATIONS].sort());
  });
});
