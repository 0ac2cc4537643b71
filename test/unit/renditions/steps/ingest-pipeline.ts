import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import { renderRendition } from '../../../../lambdas/renditions/functions/render-image/render-image';
import { EXPIRY_WINDOW_SECONDS } from '../../../../lambdas/renditions/signing-contract';
import { parseSigningKeySet } from '../../../../lambdas/renditions/signing-keys';
import { eagerPresets } from '../../../../lambdas/renditions/steps/eager-renditions';
import { presetRenditions, renderableImage } from '../../../../lambdas/renditions/urls';
import type { parseDeploymentSettings } from '../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../lambdas/settings/renditions';
import { type ImageItem, ImageItemSchema } from '../../../../lambdas/store/image-item';
import { ImageStore } from '../../../../lambdas/store/image-store';
import { fixture } from '../../../fixtures';

/*
 * The processor with real analysis and rendering over an S3 map, and the render function's use case over the same
 * map: what the tests of what it makes at ingest (eager presets, the page copy) run on.
 */

export const dynamo = mockClient(DynamoDBDocumentClient);
export const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
export const KEY = `uploads/${ID}.jpg`;
export const notice = { imageId: ID, bucket: 'images', key: KEY, eventTime: '2026-11-22T10:00:00Z' };
export const FIRST = { count: 1, last: false };
const KEYS = parseSigningKeySet(JSON.stringify({ secret: 's'.repeat(64) }));
const NOW = new Date('2026-11-22T10:00:00Z');

export type Settings = ReturnType<typeof parseDeploymentSettings>;
export type Written = { key: string; data: Buffer; contentType: string };

/** The processor with real analysis and rendering, S3 as a map, DynamoDB mocked. */
export function pipeline(settings: Settings, original = fixture('photos/pier.jpg')) {
  const objects = new Map<string, Written>([[KEY, { key: KEY, data: original, contentType: 'image/jpeg' }]]);
  const notes: { message: string; details: Record<string, unknown> }[] = [];
  const counts: Record<string, number> = {};
  const deps: ProcessorDeps = {
    steps: PROCESSOR_STEP_LIST,
    objects: {
      read: async (_bucket, key) => {
        const stored = objects.get(key);
        return stored ? { kind: 'object', bytes: stored.data, etag: '"e"' } : { kind: 'missing' };
      },
      write: async (_bucket, key, data, contentType) => void objects.set(key, { key, data, contentType }),
    },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async () => undefined },
    options: { thumbnailSizes: [128, 512, 1024], maxPixels: 100_000_000, maxBytes: 10_000_000 },
    renditions: {
      presets: eagerPresets(settings),
      maxSide: settings.renditionMaxSide,
      maxPixels: 100_000_000,
      watermark: async (name) => ({ kind: 'text', text: `© ${name}` }),
      keepGps: settings.renditionsKeepGps,
      keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
      pageCopy: settings.renditionPageCopy,
    },
    onNote: (message, details) => void notes.push({ message, details }),
    onCount: (metric, n) => {
      counts[metric] = (counts[metric] ?? 0) + n;
    },
  };
  return { deps, objects, notes, counts };
}

/** The item the processor wrote, as the table would hold it. */
export function writtenItem(): ImageItem {
  const update = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression?.startsWith('SET'));
  const input = update?.args[0].input;
  const item: Record<string, unknown> = { ...input?.Key };
  for (const [alias, name] of Object.entries(input?.ExpressionAttributeNames ?? {})) {
    const value = input?.ExpressionAttributeValues?.[alias.replace('#', ':')];
    if (value !== undefined) item[name] = value;
  }
  return ImageItemSchema.parse(item);
}

/** The preset's URL as get-image signs it, answered by the render function's use case over the same bucket. */
export async function firstRequest(item: ImageItem, settings: Settings, objects: Map<string, Written>, preset: string) {
  const limits = renditionLimitsOf(settings);
  const signer = { keys: async () => KEYS, baseUrl: 'https://renditions.example', ttlSeconds: 3600, now: () => NOW };
  const image = renderableImage(item);
  if (!image) throw new Error('the image is not renderable');
  const signed = await presetRenditions(image, settings.renditionPresets, limits, signer);
  const url = new URL(signed[preset]?.url as string);
  return renderRendition(
    { path: url.pathname, rawQuery: url.search.slice(1), accept: 'image/webp' },
    {
      limits,
      presets: settings.renditionPresets,
      maxPixels: 100_000_000,
      maxLifetimeSeconds: 3600 + EXPIRY_WINDOW_SECONDS,
      keepGps: settings.renditionsKeepGps,
      keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
    },
    {
      store: { get: async () => item },
      objects: {
        read: async (key) => objects.get(key)?.data,
        open: async (key) => {
          const stored = objects.get(key);
          return stored && { body: stored.data, contentType: stored.contentType, contentLength: stored.data.length };
        },
        write: async (key, data, contentType) => void objects.set(key, { key, data, contentType }),
      },
      keys: async () => KEYS,
      watermark: async (name) => ({ kind: 'text', text: name }),
      now: () => NOW,
    },
  );
}

export const renditionWrites = (objects: Map<string, Written>) =>
  [...objects.values()].filter((object) => object.key.startsWith('renditions/'));

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
});
afterEach(() => jest.restoreAllMocks());
