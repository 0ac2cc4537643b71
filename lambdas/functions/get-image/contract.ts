import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment, setting } from '../../api/env';
import { PeopleTableEnvShape, type PeopleWiring, peopleTableEnvironment } from '../../people/wiring';
import type { DeploymentSettings } from '../../settings';
import { S3EnvSchema } from '../../shared/aws-clients';
import {
  RenditionSigningEnvSchema,
  type RenditionSigningWiring,
  renditionSigningEnvironment,
} from '../create-rendition/contract';
import type { RenditionSettings } from '../render-image/contract';

/** `GET /images/{id}`: every variable it reads. */
export const GetImageEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape)
  .extend({
    // Unused: items name their own bucket (this one). Parsed to keep the environment the stack wires checked.
    BUCKET_NAME: z.string().min(1),
    DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  })
  // A PROCESSED image's answer carries a signed rendition URL per preset.
  .extend(RenditionSigningEnvSchema.shape)
  // With face grouping on: the people the image's faces joined are answered with their names.
  .extend(PeopleTableEnvShape);
export type GetImageEnv = z.output<typeof GetImageEnvSchema>;

export interface GetImageWiring extends ApiWiring, RenditionSigningWiring {
  readonly bucketName: string;
  /** The people table, with `faceGrouping` on. @default - none: face grouping is off */
  readonly people?: PeopleWiring;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds'> & RenditionSettings;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: GetImageWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    ...renditionSigningEnvironment(wiring),
    ...peopleTableEnvironment(wiring.people),
  };
}
