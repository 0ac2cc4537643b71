import { clearCaches } from '@aws-lambda-powertools/parameters';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { secretKeySet } from '../../../lambdas/renditions/key-secret';
import { INITIAL_KEY_ID } from '../../../lambdas/renditions/signing-keys';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rendition-signing-AbCdEf';
const SECRET = 'k'.repeat(64);
const secrets = mockClient(SecretsManagerClient);

beforeEach(() => {
  clearCaches();
  secrets.reset();
});

describe('secretKeySet', () => {
  it('reads the secret once for many calls, as the key cache promises rotation', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: JSON.stringify({ secret: SECRET }) });
    const keys = secretKeySet(ARN);
    const first = await keys();
    expect(first.keys).toEqual([{ id: INITIAL_KEY_ID, secret: SECRET, created: new Date(0).toISOString() }]);
    expect(await keys()).toEqual(first);
    expect(await secretKeySet(ARN)()).toEqual(first);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('fails naming what is wrong with the value, never the value', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: JSON.stringify({ secret: 'short' }) });
    const failure = secretKeySet(ARN)();
    await expect(failure).rejects.toThrow('signing key secret: secret: must be at least 32 characters');
    await expect(failure).rejects.not.toThrow('short');
  });
});
