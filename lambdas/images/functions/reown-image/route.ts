import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import type { DeploymentSettings } from '../../../settings';
import { formatSources } from '../../../settings/backfill';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { OwnerSchema } from '../../../store/owner';

/** `PUT /images/{id}/owner`: every variable it reads. */
export const ReownImageEnvSchema = ApiEnvSchema.extend({
  /** The ingest queue: the processor moves the image (the stack's `QueueUrl`). */
  INGEST_QUEUE_URL: z.string().min(1),
  /** The `sourceBuckets` setting as it is written: an entry that names an owner keeps its images that owner's. */
  SOURCE_BUCKETS: setting('sourceBuckets'),
});
export type ReownImageEnv = z.output<typeof ReownImageEnvSchema>;

export interface ReownImageWiring extends ApiWiring {
  readonly ingestQueueUrl: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'sourceBuckets'>;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ReownImageWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    INGEST_QUEUE_URL: wiring.ingestQueueUrl,
    SOURCE_BUCKETS: formatSources(wiring.settings.sourceBuckets).join(','),
  };
}

/** `PUT /images/{id}/owner` body. */
export const ReownRequestSchema = z.strictObject(
  {
    owner: OwnerSchema.meta({
      description: 'The new owner: a Cognito `sub`, an API client’s name, or `local` (letters, digits and _ . @ : -)',
    }),
  },
  { error: 'must be a JSON object {owner}' },
);
export type ReownRequest = z.output<typeof ReownRequestSchema>;

/** `PUT /images/{id}/owner` → 202 or 200. */
export const ReownAnswerSchema = z
  .object({
    imageId: z.string(),
    owner: z.string().meta({ description: 'The owner asked for' }),
    previousOwner: z.string().nullable().meta({ description: 'The owner the record named: null, none' }),
    status: z.enum(['MOVING', 'UNCHANGED']).meta({
      description: 'MOVING: the processor moves it, follow `GET /images/{id}`; UNCHANGED: it is that owner’s already',
    }),
  })
  .meta({ id: 'ImageOwnerChange' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/owner',
  operationId: 'reown-image',
  access: 'write',
  summary: 'Give an image another owner (admins only)',
  description:
    'The processor moves the image as a backfill with `reown` does: the old owner’s search postings and faces go ' +
    '(a person left with none goes too), the image is analysed again under the new owner (its postings, faces ' +
    'grouped into their people, its vector) and `Image Processed` names the new owner (docs/api.md#re-owning-an-image).',
  request: { path: ImageIdPathSchema, body: ReownRequestSchema },
  answers: {
    200: { description: 'The image is that owner’s already: nothing to do', body: ReownAnswerSchema },
    202: { description: 'Being moved by the processor', body: ReownAnswerSchema },
  },
  errors: {
    400: 'A malformed body, or an owner that is no owner id',
    403: 'The caller is not an admin',
    404: 'No such image',
    409: 'The image’s `sourceBuckets` entry names another owner (change the entry), it is PENDING, or its original cannot be read again',
  },
});
