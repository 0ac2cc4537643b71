import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Handler } from 'aws-lambda';
import { parseSigningKeySet } from '../../../../../lambdas/renditions/signing-keys';
import { lambdaContext } from '../../../../support/api-events';

const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:RenditionSigningKey-AbCdEf';
const TOKEN = 'c0ffee00-0000-4000-8000-000000000002';

const secrets = mockClient(SecretsManagerClient);

const HANDLER = '../../../../../lambdas/renditions/functions/rotate-rendition-key/handler';
process.env.AWS_REGION = 'eu-west-1';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

/** The handler module loaded fresh, as a cold start does (its own module registry: the SDK mock does not reach it). */
function coldStart(): void {
  jest.isolateModules(() => {
    require(HANDLER);
  });
}

/** The handler loaded in this file's module registry, where the SDK client is the mocked one. */
function loadedHandler(): Handler {
  process.env.KEY_OVERLAP_SECONDS = '4200';
  return (require(HANDLER) as { handler: Handler }).handler;
}

describe('rotate-rendition-key handler', () => {
  beforeEach(() => secrets.reset());

  it('fails at cold start naming KEY_OVERLAP_SECONDS when it is missing', () => {
    delete process.env.KEY_OVERLAP_SECONDS;
    expect(() => coldStart()).toThrow(/invalid environment for rotate-rendition-key: KEY_OVERLAP_SECONDS: /);
  });

  it('runs the step Secrets Manager names with the overlap from its environment', async () => {
    const handler = loadedHandler();
    secrets.on(DescribeSecretCommand).resolves({
      RotationEnabled: true,
      VersionIdsToStages: { old: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] },
    });
    secrets
      .on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: JSON.stringify({ secret: 'g'.repeat(64) }) });
    secrets
      .on(GetSecretValueCommand, { VersionId: TOKEN })
      .rejects(new ResourceNotFoundException({ message: 'no value yet', $metadata: {} }));
    await handler({ SecretId: SECRET_ID, ClientRequestToken: TOKEN, Step: 'createSecret' }, lambdaContext, () => {});
    const put = secrets.commandCalls(PutSecretValueCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ SecretId: SECRET_ID, ClientRequestToken: TOKEN, VersionStages: ['AWSPENDING'] });
    expect(parseSigningKeySet(put?.SecretString as string).keys).toHaveLength(2);
  });

  it('refuses an event that is not a rotation step, calling nothing', async () => {
    const handler = loadedHandler();
    await expect(
      handler({ SecretId: SECRET_ID, ClientRequestToken: TOKEN, Step: 'deleteSecret' }, lambdaContext, () => {}),
    ).rejects.toThrow(/Step/);
    expect(secrets.calls()).toHaveLength(0);
  });
});
