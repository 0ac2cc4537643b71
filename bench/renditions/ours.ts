/**
 * Ours in the bench: the render function's own code (`renderRendition`, as the deployed handler calls it), with the
 * image's record, the bucket and the signing keys in memory behind an `IoRecorder`. So every call it makes is
 * counted as it makes it (io-trace.ts): on a miss the record's GetItem, the look-up of a stored rendition that is
 * not there, the source read beside it, and the store of the result after the answer; on a hit the GetItem, the
 * stored rendition's GET, and the source read started beside it and stopped when the rendition is found.
 * The signing keys are the instance's cached ones (one Secrets Manager read every few minutes, not per request).
 */
import type { OutputFormat } from '../../lambdas/core/render/rendition';
import type { RenderConfig, RenderDeps } from '../../lambdas/renditions/functions/render-image/render-image';
import { renderRendition } from '../../lambdas/renditions/functions/render-image/render-image';
import { canonicalQuery } from '../../lambdas/renditions/query';
import { renditionExpiry, signRendition } from '../../lambdas/renditions/signing';
import { parseSigningKeySet, signingKey } from '../../lambdas/renditions/signing-keys';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { renditionLimitsOf } from '../../lambdas/settings/renditions';
import type { ImageItem } from '../../lambdas/store/image-item';
import { thumbnailKey } from '../../lambdas/store/keys';
import { imageItem, processedAnalysis } from '../../test/support/items';
import type { Original } from './corpus';
import { IoRecorder, type IoTrace } from './io-trace';
import type { MixRequest } from './requests';
import { WATERMARK } from './requests';

const NOW = new Date('2026-11-23T12:00:00Z');
const KEYS = parseSigningKeySet(JSON.stringify({ secret: 'bench-signing-secret-'.repeat(4).slice(0, 64) }));
const IMAGE_ID = '01JBENCHBENCHBENCHBENCHBEN';

const CONFIG: RenderConfig = {
  limits: { ...renditionLimitsOf(DEFAULT_SETTINGS), watermarks: [WATERMARK.name] },
  presets: {},
  maxPixels: DEFAULT_SETTINGS.maxPixels,
  maxLifetimeSeconds: 7200,
  keepGps: false,
  keepDigitalSourceType: false,
};

export interface OursOutcome {
  trace: IoTrace;
  outBytes: number;
  /** The rendition's bytes (to size-check it) and which stored object it was made from. */
  data: Buffer;
  source: string;
}

/** The record the processor would have written for this original: its size, its stored copies, a PROCESSED analysis. */
export function recordOf(original: Original): ImageItem {
  const analysis = processedAnalysis({ ...original, format: original.recordFormat });
  return imageItem({
    imageId: IMAGE_ID,
    key: `uploads/${IMAGE_ID}.${original.recordFormat}`,
    thumbnails: Object.fromEntries(original.thumbnails.map((t) => [String(t.size), thumbnailKey(IMAGE_ID, t.size)])),
    analysis: {
      ...analysis,
      size: original.bytes,
      hashes: { ...analysis.hashes, sha256: original.id.padEnd(64, '0').slice(0, 64) },
      thumbnails: original.thumbnails.map(({ size, width, height, bytes }) => ({
        size,
        width,
        height,
        bytes,
        format: 'webp' as const,
      })),
    },
  });
}

/** A rendition URL the API would sign for this request (signing is the API's work, not timed). */
function signedUrl(request: MixRequest): { path: string; rawQuery: string } {
  const signed = signRendition({
    imageId: IMAGE_ID,
    query: canonicalQuery(request.spec),
    expires: renditionExpiry(NOW, 3600),
    key: signingKey(KEYS, NOW),
  });
  const [path = '', rawQuery = ''] = signed.split('?');
  return { path, rawQuery };
}

/** The bucket as the bench holds it: the original and its copies by key, and what ours stores. */
export interface BenchBucket {
  /** A fresh copy of an object's bytes, as a GetObject hands over; undefined when there is none. */
  read(key: string): Buffer | undefined;
  stored: Map<string, { data: Buffer; contentType: string }>;
}

/** Ours answering one request against `bucket`, every call recorded: a miss, or a hit once the rendition is stored. */
export async function runOurs(
  original: Original,
  request: MixRequest,
  bucket: BenchBucket,
  logo: Buffer,
): Promise<OursOutcome> {
  const recorder = new IoRecorder();
  const record = recordOf(original);
  let source = 'original';
  const deps: RenderDeps = {
    store: { get: (imageId) => recorder.call('getItem', () => (imageId === IMAGE_ID ? record : undefined)) },
    objects: {
      open: (key) => {
        const found = bucket.stored.get(key);
        return recorder.call(
          found ? 'get' : 'miss',
          () =>
            found && {
              body: Buffer.from(found.data),
              contentType: found.contentType,
              contentLength: found.data.length,
            },
          (result) => result?.contentLength ?? 0,
        );
      },
      read: (key, { signal } = {}) => {
        const index = recorder.next;
        signal?.addEventListener('abort', () => recorder.stop(index));
        const size = original.thumbnails.find((t) => thumbnailKey(IMAGE_ID, t.size) === key)?.size;
        source = size ? `${size} px WebP copy` : 'original';
        return recorder.call(
          'get',
          () => bucket.read(key),
          (bytes) => bytes?.length ?? 0,
        );
      },
      // A write lands on the next turn of the event loop, not at once: what the code answers without waiting for it
      // is answered before it lands, as with S3. (Code that waited for it would still see it land, just later.)
      write: (key, data, contentType) =>
        recorder.call(
          'put',
          () =>
            new Promise<void>((landed) =>
              setImmediate(() => landed(void bucket.stored.set(key, { data, contentType }))),
            ),
          data.length,
        ),
    },
    keys: async () => KEYS,
    watermark: async () => ({ kind: 'image', data: logo }),
    now: () => NOW,
  };
  const result = await renderRendition(
    { ...signedUrl(request), accept: `image/${request.spec.format as OutputFormat}` },
    CONFIG,
    deps,
  );
  recorder.answer();
  const data = Buffer.isBuffer(result.body) ? result.body : await collect(result.body);
  // The invocation goes on until the store is done (rendition-handler.ts); so does the trace.
  await result.store;
  // The look-up lets go of the rendition's key once its store is done: a later request is not joined to this one.
  await new Promise((resolve) => setImmediate(resolve));
  return {
    trace: recorder.trace(),
    outBytes: data.length,
    data,
    source: result.rendered ? source : 'stored rendition',
  };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The keys ours reads an original's objects by. */
export function objectKeys(original: Original): Map<string, string> {
  const record = recordOf(original);
  return new Map([
    [record.key, original.file],
    ...original.thumbnails.map((t): [string, string] => [thumbnailKey(IMAGE_ID, t.size), t.file]),
  ]);
}
