import { cleanupUses } from '../cleanups/contract';
import type { PipelineFunction } from '../kit/pipeline-function';
import { type Use, uses } from '../kit/uses';
import {
  RenderImageEnvSchema,
  environmentFor as renderEnvironment,
} from '../renditions/functions/render-image/contract';
import {
  RotateRenditionKeyEnvSchema,
  environmentFor as rotationEnvironment,
} from '../renditions/functions/rotate-rendition-key/contract';
import { SHARES_TABLE } from '../shares/table-design';
import { RENDITION_PREFIX, THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../store/keys';
import {
  PurgeTrashEnvSchema,
  environmentFor as purgeTrashEnvironment,
  TRASH_QUEUE,
} from '../trash/functions/purge-trash/contract';
import { VisionEnvSchema, environmentFor as visionEnvironment } from '../vision/functions/vision/contract';
import { ROOMS } from './rooms';
import { PROCESSOR } from './steps';

/**
 * The pipeline's functions besides the API's (routes.ts). The stack grants each its uses
 * (lib/image-pipeline-stack.ts), and the local runner gives each the environment its contract makes
 * (lambdas/local/environments.ts); the permission tests compare the grants with the calls each makes.
 */
export const PIPELINE_FUNCTIONS = {
  processor: {
    room: 'ingest',
    does: 'Analyses each upload, writes thumbnails and the record, publishes the outcome',
    trigger: 'the ingest queue: S3 and backfill notices, in batches with partial failures',
    environmentFor: PROCESSOR.environmentFor,
    envSchema: PROCESSOR.envSchema,
    // Its own and its steps' (their contracts, each in its room: lambdas/<room>/steps/*-contract.ts).
    uses: PROCESSOR.uses,
  },
  'render-image': {
    room: 'renditions',
    does: 'Renders, stores and streams a signed rendition of an image',
    trigger: 'its function URL, signed by CloudFront (origin access control)',
    environmentFor: renderEnvironment,
    envSchema: RenderImageEnvSchema,
    uses: [
      uses.signRenditions(),
      uses.resultsItems('GetItem'),
      uses.objects(UPLOAD_PREFIX, 's3:GetObject'),
      uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
      uses.objects(RENDITION_PREFIX, 's3:GetObject', 's3:PutObject'),
      // So that S3 answers a missing key 404 NoSuchKey, not 403: a rendition's first request, a missing thumbnail.
      uses.list(UPLOAD_PREFIX, THUMBNAIL_PREFIX, RENDITION_PREFIX),
      // A backfilled image's renditions are rendered from its original in its source bucket.
      uses.backfill('source-reads'),
      // A URL a share link handed out is served only while the link is open.
      uses.declaredItems(SHARES_TABLE.name, 'GetItem'),
    ],
  },
  vision: {
    room: 'vision',
    does: 'Offline vision: labels, objects, text, faces and moderation (ONNX Runtime and TF.js models)',
    trigger: 'invoked by the processor, with inference offline (a container image)',
    environmentFor: visionEnvironment,
    envSchema: VisionEnvSchema,
    // The processor sends the thumbnail inline. These are for a request that names a stored one, as processors
    // before the inline image sent: a deploy updates this function before the processor that invokes it.
    uses: [
      uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
      // A thumbnail gone before it is read is a SourceImageMissing refusal, which S3 can tell only with listing.
      uses.list(THUMBNAIL_PREFIX),
    ],
  },
  'rotate-rendition-key': {
    room: 'renditions',
    does: 'Rotates the rendition signing keys, keeping old keys while URLs signed with them live',
    trigger: "Secrets Manager, every renditionKeyRotationDays (the signing secret's rotation schedule)",
    environmentFor: rotationEnvironment,
    envSchema: RotateRenditionKeyEnvSchema,
    uses: [uses.rotateSigningKeys()],
  },
  'purge-trash': {
    room: 'trash',
    does: 'Deletes images whose time in the trash is up, or whose owner emptied the trash',
    trigger:
      'the trash queue: the daily sweep (an EventBridge rule), pages of the trash and purges, with partial failures',
    environmentFor: purgeTrashEnvironment,
    envSchema: PurgeTrashEnvSchema,
    uses: [
      // A page of one shard of the trash: everyone's (the sweep) or one owner's (an emptied trash).
      uses.resultsQuery('byStatusSharded', 'byOwnerStatusSharded'),
      // Each image: its record read, claimed (`purging`), then deleted as delete-image does, with the same uses.
      uses.resultsItems('GetItem', 'UpdateItem', 'DeleteItem'),
      uses.objects(UPLOAD_PREFIX, 's3:DeleteObject'),
      uses.objects(THUMBNAIL_PREFIX, 's3:DeleteObject'),
      // Each room's part of the purge: what its cleanup says it uses (lambdas/cleanups/contract.ts).
      ...cleanupUses('purge'),
      uses.putEvents(),
      uses.webhookQueue(),
      // The next page, and each image's purge.
      uses.declaredSend(TRASH_QUEUE.name),
    ],
  },
} as const satisfies Record<string, PipelineFunction>;

export type { PipelineFunction } from '../kit/pipeline-function';

/** Every function that is no route: this list's and those the room manifests list (rooms.ts). */
export const ALL_PIPELINE_FUNCTIONS: Readonly<Record<string, PipelineFunction>> = Object.assign(
  {},
  PIPELINE_FUNCTIONS,
  ...ROOMS.map((room) => room.functions ?? {}),
);

/** What a function that is no route uses (this list's, or a room manifest's), by its name. */
export function usesOf(name: string): readonly Use[] {
  const fn = ALL_PIPELINE_FUNCTIONS[name];
  if (!fn) throw new Error(`no function ${name} in lambdas/manifest/manifest.ts or a room's manifest`);
  return fn.uses;
}

/** A function's handler module, relative to lambdas/ and without its extension: what the stack and runner load. */
export function pipelineHandlerModule(name: string): string {
  const fn = ALL_PIPELINE_FUNCTIONS[name];
  if (!fn) throw new Error(`no function ${name} in lambdas/manifest/manifest.ts`);
  return `${fn.room}/functions/${name}/handler`;
}
