import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationHandler } from 'aws-lambda';
import { parseEnv } from '../../../settings/env';
import { traced } from '../../../shared/aws-clients';
import { createPowertools, instrument } from '../../../shared/powertools';
import { RotateRenditionKeyEnvSchema } from './contract';
import { RotationEventSchema, rotateSigningKey } from './rotate';

const config = parseEnv(RotateRenditionKeyEnvSchema, process.env, 'rotate-rendition-key');
const tools = createPowertools(config);
const client = traced(new SecretsManagerClient({}), tools.tracer);

/**
 * Secrets Manager calls this four times per rotation (createSecret, setSecret, testSecret, finishSecret) with the
 * new version's token. A failure is thrown: Secrets Manager retries the step, then marks the rotation failed and
 * leaves AWSCURRENT where it was. Nothing logged here holds a key: only the step, the version and the outcome.
 */
const rotate = async (event: unknown): Promise<void> => {
  const request = RotationEventSchema.parse(event);
  tools.logger.appendKeys({ step: request.Step, versionId: request.ClientRequestToken });
  const outcome = await rotateSigningKey(request, { client, overlapSeconds: config.KEY_OVERLAP_SECONDS });
  tools.logger.info('rotation step done', { outcome });
};

export const handler = instrument(rotate, tools) satisfies SecretsManagerRotationHandler;
