import { useEveryCore } from '../../../core/analysis/threads';
import { parseEnv } from '../../../settings/env';
import { renditionLimitsOf } from '../../../settings/renditions';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { createPowertools } from '../../../shared/powertools';
import { ShareStore } from '../../../shares/share-store';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { S3ObjectStore } from '../../../store/object-store';
import { secretKeySet } from '../../key-secret';
import { EXPIRY_WINDOW_SECONDS } from '../../signing-contract';
import { watermarkReader } from '../../watermarks';
import { RenderImageEnvSchema } from './contract';
import type { RenderDeps } from './render-image';
import { renditionHandler } from './rendition-handler';

useEveryCore();
const config = parseEnv(RenderImageEnvSchema, process.env, 'render-image');
const tools = createPowertools(config);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const s3Client = createS3Client(config, tools.tracer);
const s3 = new S3ObjectStore(s3Client);
const settings = config.RENDITION_SETTINGS;
const renderConfig = {
  limits: renditionLimitsOf(settings),
  presets: settings.renditionPresets,
  maxPixels: config.MAX_PIXELS,
  maxLifetimeSeconds: settings.renditionUrlTtlSeconds + EXPIRY_WINDOW_SECONDS,
  keepGps: settings.renditionsKeepGps,
  keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
};

const dynamo = createDocumentClient(tools.tracer);
const downloads = new S3ImageObjects(s3Client);
const deps: RenderDeps = {
  store,
  shares: {
    links: new ShareStore(dynamo, config.SHARES_TABLE),
    presignDownload: (key, { bucket = config.BUCKET_NAME, seconds, filename }) =>
      downloads.presignDownload(bucket, key, seconds, filename),
  },
  objects: {
    read: async (key, { bucket = config.BUCKET_NAME, signal } = {}) => {
      const read = await s3.read(bucket, key, Number.MAX_SAFE_INTEGER, signal);
      return read.kind === 'object' ? read.bytes : undefined;
    },
    open: (key) => s3.open(config.BUCKET_NAME, key),
    write: (key, data, contentType) => s3.write(config.BUCKET_NAME, key, data, contentType),
  },
  keys: secretKeySet(config.SIGNING_SECRET_ARN),
  // Image watermarks live beside the code (bundled by the stack; the project's files locally).
  watermark: watermarkReader(settings.watermarks),
  now: () => new Date(),
};

/**
 * A rendition URL (through CloudFront, by origin access control) → 200 the image, streamed (rendition-handler.ts).
 */
export const handler = renditionHandler(renderConfig, deps, tools);
