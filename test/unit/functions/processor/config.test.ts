import { parseProcessorConfig } from '../../../../lambdas/functions/processor/config';
import { derivedImageId, parseMessage } from '../../../../lambdas/functions/processor/s3-event';

const required = { TABLE_NAME: 't', BUCKET_NAME: 'b', EVENT_BUS_NAME: 'e' };

describe('processor config', () => {
  it('names a missing variable', () => {
    expect(() => parseProcessorConfig({ BUCKET_NAME: 'b', EVENT_BUS_NAME: 'e' })).toThrow(/TABLE_NAME/);
  });

  it('requires the inference function name when inference is onnx', () => {
    expect(() => parseProcessorConfig({ ...required, INFERENCE: 'onnx' })).toThrow(/INFER_FUNCTION_NAME/);
  });

  it('parses thumbnail sizes and defaults the rest', () => {
    const config = parseProcessorConfig({ ...required, THUMBNAIL_SIZES: '128, 1024' });
    expect(config).toMatchObject({ THUMBNAIL_SIZES: [128, 1024], INFERENCE: 'none', MAX_RECEIVE_COUNT: 5 });
  });

  it('refuses a thumbnail size that is not a number', () => {
    expect(() => parseProcessorConfig({ ...required, THUMBNAIL_SIZES: '128,big' })).toThrow(/THUMBNAIL_SIZES/);
  });
});

describe('S3 notification parsing', () => {
  it('takes the image id from an API upload key', () => {
    const body = JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Post',
          eventTime: '2026-11-22T10:00:00Z',
          s3: { bucket: { name: 'b' }, object: { key: 'uploads/01JD3W7Q1ZK7Y6G5S4R3P2N1M0.png', size: 3 } },
        },
      ],
    });
    expect(parseMessage(body)).toMatchObject({ kind: 'uploads', notices: [{ imageId: '01JD3W7Q1ZK7Y6G5S4R3P2N1M0' }] });
  });

  it('derives the same id for the same event and different ids for different keys or times', () => {
    const a = derivedImageId('b', 'uploads/x.jpg', '2026-11-22T10:00:00Z');
    expect(derivedImageId('b', 'uploads/x.jpg', '2026-11-22T10:00:00Z')).toBe(a);
    expect(derivedImageId('b', 'uploads/y.jpg', '2026-11-22T10:00:00Z')).not.toBe(a);
    expect(derivedImageId('b', 'uploads/x.jpg', '2026-11-22T10:00:01Z')).not.toBe(a);
  });

  it('calls a body without Records poison', () => {
    expect(() => parseMessage('{"Records": []}')).toThrow('not an S3 event notification');
    expect(() => parseMessage('not json')).toThrow('not JSON');
  });
});
