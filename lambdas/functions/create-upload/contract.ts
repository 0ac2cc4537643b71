import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment, setting } from '../../api/env';
import type { DeploymentSettings } from '../../settings';
import { S3EnvSchema } from '../../shared/aws-clients';

/** `POST /uploads`: every variable it reads. No defaults: each value comes from the deployment settings. */
export const CreateUploadEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  BUCKET_NAME: z.string().min(1),
  MAX_UPLOAD_BYTES: setting('maxUploadBytes'),
  ALLOWED_TYPES: setting('allowedTypes'),
  UPLOAD_URL_TTL_SECONDS: setting('uploadUrlTtlSeconds'),
});
export type CreateUploadEnv = z.output<typeof CreateUploadEnvSchema>;

export interface CreateUploadWiring extends ApiWiring {
  readonly bucketName: string;
  readonly settings: Pick<
    DeploymentSettings,
    'corsOrigins' | 'auth' | 'maxUploadBytes' | 'allowedTypes' | 'uploadUrlTtlSeconds'
  >;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: CreateUploadWiring): FunctionEnvironment {
  const { settings } = wiring;
  return {
    ...apiEnvironment(wiring),
    BUCKET_NAME: wiring.bucketName,
    MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
    ALLOWED_TYPES: settings.allowedTypes.join(','),
    UPLOAD_URL_TTL_SECONDS: String(settings.uploadUrlTtlSeconds),
  };
}
