import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { type Vision, VisionSchema } from '../../../../../lambdas/core/vision-schema';
import { DEFAULT_SETTINGS } from '../../../../../lambdas/settings';
import { environmentFor } from '../../../../../lambdas/vision/functions/vision/contract';
import { fixture } from '../../../../fixtures';

// What the stack wires (a 1 MB read limit, to test it), set before the handler loads and parses it.
Object.assign(process.env, environmentFor({ settings: { ...DEFAULT_SETTINGS, maxUploadBytes: 1_000_000 } }), {
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'ImageIntelTest',
});
const { handler } =
  require('../../../../../lambdas/vision/functions/vision/handler') as typeof import('../../../../../lambdas/vision/functions/vision/handler');

const s3 = mockClient(S3Client);
const context = {
  functionName: 'vision',
  awsRequestId: 'test-request',
  getRemainingTimeInMillis: () => 60_000,
} as Context;
const body = (bytes: Buffer) => sdkStreamMixin(Readable.from([bytes]));
/** Invoke as Lambda would: an event and a context. */
async function invoke(event: unknown): Promise<Vision> {
  const vision = await handler(event, context, { signal: new AbortController().signal });
  if (!vision) throw new Error('the handler answered nothing');
  return vision;
}

describe('vision Lambda handler', () => {
  beforeEach(() => s3.reset());

  it('reads the thumbnail from S3 and answers faces, objects and labels in the shared schema', async () => {
    // What the processor stores: the 1024 px WebP thumbnail.
    const thumbnail = await sharp(fixture('vision/person-astronaut.jpg')).webp({ quality: 80 }).toBuffer();
    s3.on(GetObjectCommand, { Bucket: 'images', Key: 'thumbnails/01J/1024.webp' }).resolves({ Body: body(thumbnail) });
    const vision = await invoke({ imageId: '01J', bucket: 'images', key: 'thumbnails/01J/1024.webp' });
    expect(VisionSchema.parse(vision)).toEqual(vision);
    expect(vision.faces).toHaveLength(1);
    expect(vision.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['Person', 'Face']));
    // No moderationThreshold setting: each class's calibrated flag threshold.
    expect(vision.moderation).toMatchObject({ checked: true, flagged: false });
    expect(Object.keys(vision.moderation.thresholds ?? {}).sort()).toEqual(['Explicit Nudity', 'Suggestive']);
    // faceGrouping is off (the default): no descriptor is made, so none can leak.
    expect(vision).not.toHaveProperty('faceDescriptions');
  });

  it('answers the same for the thumbnail inline, as the processor sends it, reading nothing from S3', async () => {
    const thumbnail = await sharp(fixture('vision/person-astronaut.jpg')).webp({ quality: 80 }).toBuffer();
    s3.on(GetObjectCommand).resolves({ Body: body(thumbnail) });
    const stored = await invoke({ imageId: '01J', bucket: 'images', key: 'thumbnails/01J/1024.webp' });
    s3.reset();
    const inline = await invoke({ imageId: '01J', image: thumbnail.toString('base64') });
    expect(s3.calls()).toHaveLength(0);
    const { inference: _a, ...seen } = inline;
    const { inference: _b, ...seenStored } = stored;
    expect(seen).toEqual(seenStored);
  });

  it('uses the colour facts the processor sends for colour labels', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(fixture('photos/pier.jpg')) });
    const colour = {
      palette: [{ hex: '#808080', rgb: { r: 128, g: 128, b: 128 }, proportion: 1 }],
      brightness: { value: 128, class: 'normal' as const },
    };
    const vision = await invoke({ imageId: '01K', bucket: 'b', key: 'k', colour });
    expect(vision.labels).toContainEqual(expect.objectContaining({ name: 'Monochrome', source: 'colour' }));
  });

  it('refuses a malformed request as a VisionRequestError naming the field that is wrong', async () => {
    await expect(invoke({ imageId: '01J', bucket: 'images' })).rejects.toMatchObject({
      name: 'VisionRequestError',
      message: expect.stringMatching(/^not a vision request: image: exactly one of image \(inline, base64\) and key/),
    });
    expect(s3.calls()).toHaveLength(0);
  });

  it('answers SourceImageMissingError when the object is gone', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    await expect(invoke({ imageId: '01J', bucket: 'b', key: 'thumbnails/01J/1024.webp' })).rejects.toMatchObject({
      name: 'SourceImageMissingError',
      message: 's3://b/thumbnails/01J/1024.webp does not exist',
    });
  });

  it('answers SourceImageTooLargeError without reading an object over the byte limit', async () => {
    const destroy = jest.fn();
    s3.on(GetObjectCommand).resolves({ ContentLength: 1_000_001, Body: { destroy } as never });
    await expect(invoke({ imageId: '01J', bucket: 'b', key: 'k' })).rejects.toMatchObject({
      name: 'SourceImageTooLargeError',
      message: 's3://b/k is 1000001 bytes, over the 1000000-byte limit',
    });
    expect(destroy).toHaveBeenCalled();
  });

  it('refuses an object that is not an image, saying why', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('not an image')) });
    await expect(invoke({ imageId: '01J', bucket: 'b', key: 'k' })).rejects.toMatchObject({
      name: 'ImageRejectedError',
      code: 'UNSUPPORTED_FORMAT',
    });
  });
});
