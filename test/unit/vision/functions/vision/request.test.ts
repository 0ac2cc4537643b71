import { requestedBytes } from '../../../../../lambdas/vision/functions/vision/analyze-stored-image';
import { parseVisionRequest } from '../../../../../lambdas/vision/functions/vision/refusals';

const inline = { imageId: '01J', image: Buffer.from('a thumbnail').toString('base64') };
const stored = { imageId: '01J', bucket: 'images', key: 'thumbnails/01J/1024.webp' };
const objects = (bytes: Buffer | undefined) => ({
  read: async () => (bytes ? { kind: 'object' as const, bytes, etag: '"e"' } : { kind: 'missing' as const }),
  write: async () => undefined,
});

describe('a vision request', () => {
  it('carries the image inline, or names a stored object, as processors before the inline image did', async () => {
    const none = objects(undefined);
    expect(await requestedBytes(parseVisionRequest(inline), { objects: none, maxBytes: 100 })).toEqual(
      Buffer.from('a thumbnail'),
    );
    const some = objects(Buffer.from('stored'));
    expect(await requestedBytes(parseVisionRequest(stored), { objects: some, maxBytes: 100 })).toEqual(
      Buffer.from('stored'),
    );
    await expect(requestedBytes(parseVisionRequest(stored), { objects: none, maxBytes: 100 })).rejects.toMatchObject({
      name: 'SourceImageMissingError',
    });
  });

  it('is refused, naming the field, with both or neither, a key without its bucket, or an image not base64', () => {
    expect(() => parseVisionRequest({ ...inline, ...stored })).toThrow('image: exactly one of image');
    expect(() => parseVisionRequest({ imageId: '01J' })).toThrow('image: exactly one of image');
    expect(() => parseVisionRequest({ imageId: '01J', key: 'k' })).toThrow('bucket: a key needs its bucket');
    expect(() => parseVisionRequest({ imageId: '01J', image: 'not base64!' })).toThrow(/image: /);
  });
});
