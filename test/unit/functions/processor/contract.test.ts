import { environmentFor, parseProcessorConfig } from '../../../../lambdas/functions/processor/contract';
import { derivedImageId, parseMessage } from '../../../../lambdas/functions/processor/s3-event';
import { DEFAULT_SETTINGS, parseDeploymentSettings } from '../../../../lambdas/shared/settings';

const wiring = { tableName: 't', searchTableName: 's', bucketName: 'b', eventBusName: 'e', maxReceiveCount: 5 };
const required = environmentFor({ ...wiring, settings: { ...DEFAULT_SETTINGS, inference: 'none' } });

describe('processor contract', () => {
  it('names a missing variable', () => {
    const { TABLE_NAME: _table, ...rest } = required;
    expect(() => parseProcessorConfig(rest)).toThrow(/TABLE_NAME/);
  });

  it('has no default for a deployment setting: a function wired without it fails at start', () => {
    const { MODERATION_THRESHOLD: _threshold, ...rest } = required;
    expect(() => parseProcessorConfig(rest)).toThrow(/invalid environment for the processor: MODERATION_THRESHOLD/);
  });

  it('requires the vision function name when inference is offline', () => {
    expect(() => parseProcessorConfig({ ...required, INFERENCE: 'offline' })).toThrow(/VISION_FUNCTION_NAME/);
  });

  it('reads back exactly the settings it was wired with', () => {
    const settings = parseDeploymentSettings({ inference: 'offline', thumbnailSizes: '128, 1024', maxPixels: 5 });
    const config = parseProcessorConfig(environmentFor({ ...wiring, visionFunctionName: 'vision', settings }));
    expect(config).toMatchObject({
      INFERENCE: 'offline',
      VISION_FUNCTION_NAME: 'vision',
      THUMBNAIL_SIZES: [128, 1024],
      MAX_PIXELS: 5,
      MAX_UPLOAD_BYTES: DEFAULT_SETTINGS.maxUploadBytes,
      MAX_RECEIVE_COUNT: 5,
      MODERATION_THRESHOLD: DEFAULT_SETTINGS.moderationThreshold,
    });
  });

  it('refuses to wire inference=offline without a vision function', () => {
    expect(() => environmentFor({ ...wiring, settings: { ...DEFAULT_SETTINGS, inference: 'offline' } })).toThrow(
      /vision function/,
    );
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
