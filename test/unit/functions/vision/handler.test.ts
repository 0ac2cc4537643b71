import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { handler } from '../../../../lambdas/functions/vision/handler';
import { type Vision, VisionSchema } from '../../../../lambdas/vision/schema';
import { fixture } from '../../../fixtures';

const s3 = mockClient(S3Client);
const context = {
  functionName: 'infer',
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

describe('inference Lambda handler', () => {
  beforeEach(() => s3.reset());

  it('reads the thumbnail from S3 and answers faces, objects and labels in the shared schema', async () => {
    // What the processor stores: the 1024 px WebP thumbnail.
    const thumbnail = await sharp(fixture('vision/person-astronaut.jpg')).webp({ quality: 80 }).toBuffer();
    s3.on(GetObjectCommand, { Bucket: 'images', Key: 'thumbnails/01J/1024.webp' }).resolves({ Body: body(thumbnail) });
    const vision = await invoke({ imageId: '01J', bucket: 'images', key: 'thumbnails/01J/1024.webp' });
    expect(VisionSchema.parse(vision)).toEqual(vision);
    expect(vision.faces).toHaveLength(1);
    expect(vision.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['Person', 'Face']));
    expect(vision.moderation).toMatchObject({ checked: true, flagged: false, threshold: 0.8 });
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

  it('refuses a malformed request with the field that is wrong', async () => {
    await expect(invoke({ imageId: '01J', bucket: 'images' })).rejects.toThrow(/key/);
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses an object that is not an image, saying why', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('not an image')) });
    await expect(invoke({ imageId: '01J', bucket: 'b', key: 'k' })).rejects.toMatchObject({
      name: 'ImageRejectedError',
      code: 'UNSUPPORTED_FORMAT',
    });
  });
});
