import {
  type RenderConfig,
  type RenderDeps,
  type RenditionBody,
  type RenditionResult,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { canonicalQuery } from '../../../../../lambdas/renditions/query';
import { renditionExpiry, signRendition } from '../../../../../lambdas/renditions/signing';
import { parseSigningKeySet, signingKey } from '../../../../../lambdas/renditions/signing-keys';
import { parseRenditionSpec } from '../../../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS, type DeploymentSettings } from '../../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../../lambdas/settings/renditions';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { fixture } from '../../../../fixtures';
import { processedItem, SECRET_STRING } from '../create-rendition/signing-support';

/** The render function's deps with the bucket and the table in memory, for its tests. */

export const KEYS = parseSigningKeySet(SECRET_STRING);
export const NOW = new Date('2026-11-23T06:00:00Z');
export const LIMITS = renditionLimitsOf(DEFAULT_SETTINGS);
export const CONFIG: RenderConfig = {
  limits: LIMITS,
  presets: {},
  maxPixels: 100_000_000,
  maxLifetimeSeconds: 7200,
  keepGps: false,
  keepDigitalSourceType: false,
};
export const PIER = fixture('photos/pier.jpg');

/** A 1280 × 800 JPEG's record, with its original at its key. */
export const ITEM: ImageItem = processedItem({ width: 1280, height: 800 }, { thumbnails: {} });

export class MemoryObjects {
  readonly objects = new Map<string, { data: Buffer; contentType: string }>();
  /** Each source read's signal: aborted when the read was stopped. */
  readonly readSignals: (AbortSignal | undefined)[] = [];
  writes: string[] = [];
  /** What each write waits for before it lands (a slow or failing bucket). */
  writeGate: () => Promise<void> = async () => undefined;

  constructor() {
    this.objects.set(ITEM.key, { data: PIER, contentType: 'image/jpeg' });
  }

  get reads(): number {
    return this.readSignals.length;
  }

  async read(key: string, options: { signal?: AbortSignal } = {}): Promise<Buffer | undefined> {
    this.readSignals.push(options.signal);
    return this.objects.get(key)?.data;
  }

  async open(key: string): Promise<RenditionBody | undefined> {
    const found = this.objects.get(key);
    return found && { body: found.data, contentType: found.contentType, contentLength: found.data.length };
  }

  async write(key: string, data: Buffer, contentType: string): Promise<void> {
    this.writes.push(contentType);
    await this.writeGate();
    this.objects.set(key, { data, contentType });
  }
}

/** The render function's deps in memory over one record, `current()` (read at each get, so a test may change it). */
export function depsOver(current: () => ImageItem, now = () => NOW) {
  const objects = new MemoryObjects();
  const deps: RenderDeps = {
    store: {
      get: async (id) => {
        const item = current();
        return id === item.imageId ? item : undefined;
      },
    },
    objects,
    keys: async () => KEYS,
    watermark: async () => {
      throw new Error('no watermark in these tests');
    },
    now,
  };
  return { objects, deps };
}

export function setup(now = () => NOW) {
  return depsOver(() => ITEM, now);
}

/** A URL the API would sign at `now` for this spec (signed as is: the budget is the render's to check here). */
export function url(input: Record<string, unknown>, now = NOW) {
  const spec = parseRenditionSpec(input, LIMITS);
  const expires = renditionExpiry(now, 3600);
  const signed = signRendition({
    imageId: ITEM.imageId,
    query: canonicalQuery(spec),
    expires,
    key: signingKey(KEYS, now),
  });
  const [path = '', rawQuery = ''] = signed.split('?');
  return { path, rawQuery };
}

/**
 * The render function's answer to the first request of a public preset (`/<id>/<preset>.webp`) of an image whose
 * eager renditions the processor wrote into `written`: the processor's tests ask it whether the rendition they stored
 * is at the key the render function looks up (then nothing is rendered).
 */
export function firstPublicRequest(
  item: ImageItem,
  preset: string,
  written: ReadonlyMap<string, Buffer>,
  settings: DeploymentSettings,
): Promise<RenditionResult> {
  return renderRendition(
    { path: `/${item.imageId}/${preset}.webp`, rawQuery: '' },
    {
      limits: renditionLimitsOf(settings),
      presets: settings.renditionPresets,
      maxPixels: settings.maxPixels,
      maxLifetimeSeconds: 7200,
      keepGps: settings.renditionsKeepGps,
      keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
    },
    {
      store: { get: async () => item },
      objects: {
        read: async () => undefined,
        open: async (key) => {
          const data = written.get(key);
          return data && { body: data, contentType: 'image/webp', contentLength: data.length };
        },
        write: async () => undefined,
      },
      keys: async () => KEYS,
      watermark: async () => ({ kind: 'text', text: '' }),
      now: () => NOW,
    },
  );
}
