import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { SHARES_TABLE } from '../shares/table-design';
import { RENDITION_PREFIX, THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../store/keys';
import { RENDITIONS_CLEANUP } from './cleanup-contract';
import {
  route as createRendition,
  environmentFor as createRenditionEnvironment,
  CreateRenditionEnvSchema as createRenditionEnvSchema,
} from './functions/create-rendition/route';
import { RenderImageEnvSchema, environmentFor as renderEnvironment } from './functions/render-image/contract';
import {
  RotateRenditionKeyEnvSchema,
  environmentFor as rotationEnvironment,
} from './functions/rotate-rendition-key/contract';
import { EAGER_RENDITIONS_STEP, RENDITIONS_STEP } from './steps/renditions-contract';
import { STALE_RENDITIONS_STEP } from './steps/stale-renditions-contract';

/** Renditions (docs/renditions.md): a URL for one asked, the renderer behind CloudFront, its signing keys rotated. */
export const RENDITIONS_ROOM = {
  routes: [
    {
      room: 'renditions',
      route: createRendition,
      environmentFor: createRenditionEnvironment,
      envSchema: createRenditionEnvSchema,
      // The record (owner, status, size), the caller's per-minute counter and the image's custom specs
      // (store/rendition-quota.ts: both UpdateItem), then a URL signed with the current key.
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.signRenditions()],
    },
  ],
  functions: {
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
    'rotate-rendition-key': {
      room: 'renditions',
      does: 'Rotates the rendition signing keys, keeping old keys while URLs signed with them live',
      trigger: "Secrets Manager, every renditionKeyRotationDays (the signing secret's rotation schedule)",
      environmentFor: rotationEnvironment,
      envSchema: RotateRenditionKeyEnvSchema,
      uses: [uses.rotateSigningKeys()],
    },
  },
  // The eager presets rendered from the decode, stored once the policy has passed the image; an earlier
  // version's renditions deleted once the new one's event is out.
  steps: [
    {
      declaration: RENDITIONS_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/renditions') as typeof import('./steps/renditions')).renditionsStep,
    },
    {
      declaration: EAGER_RENDITIONS_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/renditions') as typeof import('./steps/renditions')).eagerRenditionsStep,
    },
    {
      declaration: STALE_RENDITIONS_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/stale-renditions') as typeof import('./steps/stale-renditions')).staleRenditionsStep,
    },
  ],
  cleanups: [
    {
      contract: RENDITIONS_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).RENDITIONS_CLEANUP_MODULE,
    },
  ],
} satisfies RoomManifest;
