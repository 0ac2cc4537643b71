import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import type { Vision } from '../../../../lambdas/core/vision-schema';
import { processUpload } from '../../../../lambdas/ingest/functions/processor/process-upload';
import type { ImageEvent } from '../../../../lambdas/manifest/events';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import { ImageStore } from '../../../../lambdas/store/image-store';
import type { IObjectStore } from '../../../../lambdas/store/object-store';
import {
  MAX_INLINE_IMAGE_BYTES,
  PERMANENT_VISION_ERRORS,
  VisionRequestSchema,
} from '../../../../lambdas/vision/functions/vision/contract';
import type { IVisionProvider, VisionInput } from '../../../../lambdas/vision/steps/providers';
import { InferenceError, inlineImage, LambdaVision } from '../../../../lambdas/vision/steps/providers';
import { fixture } from '../../../fixtures';
import { setFields } from '../../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const lambda = mockClient(LambdaClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const notice = { imageId: ID, bucket: 'images', key: `uploads/${ID}.jpg`, eventTime: '2026-11-22T10:00:00Z' };

const VISION: Vision = {
  labels: [
    { name: 'Boat', confidence: 0.9, source: 'objects' },
    { name: 'Outdoors', confidence: 0.95, source: 'rekognition' },
  ],
  objects: [{ name: 'boat', confidence: 0.9, box: { left: 0.1, top: 0.1, width: 0.5, height: 0.5 } }],
  text: { fullText: '', lines: [] },
  faces: [],
  moderation: { checked: true, flagged: false, threshold: 0.8, labels: [] },
  inference: { provider: 'onnx', models: { centernet: '1' }, durationMs: 12 },
};

function deps(vision: IVisionProvider, published: ImageEvent[] = [], stored: string[] = []): ProcessorDeps {
  const objects: IObjectStore = {
    read: async () => ({ kind: 'object', bytes: fixture('photos/boats.jpg'), etag: '"e"' }),
    write: async (_bucket, key) => void stored.push(key),
  };
  return {
    steps: PROCESSOR_STEP_LIST,
    objects,
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async (event) => void published.push(event as ImageEvent) },
    vision,
    options: { thumbnailSizes: [64, 256], maxPixels: 100_000_000, maxBytes: 10_000_000 },
  };
}

function written(): Record<string, unknown> {
  const update = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression?.startsWith('SET'));
  const input = update?.args[0].input;
  const item = setFields(input);
  return item;
}

beforeEach(() => {
  dynamo.reset();
  lambda.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
});

describe('processor inference step', () => {
  it('stores the vision result and puts the top labels, most confident first, in the event', async () => {
    const published: ImageEvent[] = [];
    const stored: string[] = [];
    const seen: { input: VisionInput; storedBefore: string[] }[] = [];
    const vision = {
      wantsRaster: false,
      analyze: async (input: VisionInput) => {
        seen.push({ input, storedBefore: [...stored] });
        return VISION;
      },
    };
    await processUpload(notice, { count: 1, last: false }, deps(vision, published, stored));
    expect(written()).toMatchObject({ status: 'PROCESSED', vision: VISION });
    // The largest thumbnail's bytes, before anything of the image is stored: the policy reads the answer first.
    const [{ input, storedBefore }] = seen as [(typeof seen)[number]];
    expect(input).toMatchObject({ original: { format: 'jpeg' } });
    expect((await sharp(input.thumbnail.bytes).metadata()).width).toBe(256);
    expect(storedBefore).toEqual([]);
    expect(stored).toEqual(expect.arrayContaining([`thumbnails/${ID}/256.webp`]));
    const detail = published[0]?.detail as { summary: { topLabels: unknown[]; moderationFlagged: boolean } };
    expect(detail.summary.topLabels).toEqual([
      { name: 'Outdoors', confidence: 0.95 },
      { name: 'Boat', confidence: 0.9 },
    ]);
    expect(detail.summary.moderationFlagged).toBe(false);
  });

  it('tells the provider whether the photo says which way is up: its EXIF orientation, or its owner turned it', async () => {
    const told = async (photo: string, existing?: Record<string, unknown>) => {
      const known: boolean[] = [];
      const vision = {
        wantsRaster: false,
        analyze: async (input: VisionInput) => {
          known.push(input.orientationKnown);
          return VISION;
        },
      };
      const withPhoto = deps(vision);
      withPhoto.objects = {
        ...withPhoto.objects,
        read: async () => ({ kind: 'object', bytes: fixture(photo), etag: '"e"' }),
      };
      if (existing) {
        const item = {
          imageId: ID,
          entity: 'IMAGE',
          status: 'PENDING',
          bucket: 'images',
          key: notice.key,
          owner: 'alice',
        };
        dynamo
          .on(GetCommand)
          .resolves({ Item: { ...item, createdAt: notice.eventTime, updatedAt: notice.eventTime, ...existing } });
      }
      await processUpload(notice, { count: 1, last: false }, withPhoto);
      return known;
    };
    // boats.jpg has no orientation tag; rotated-exif6.jpg says "turn 90 clockwise".
    expect(await told('photos/boats.jpg')).toEqual([false]);
    expect(await told('formats/rotated-exif6.jpg')).toEqual([true]);
    expect(await told('photos/boats.jpg', { rotation: 0 })).toEqual([true]);
  });

  it('hands the raster to a provider that asks for it', async () => {
    let raster: unknown;
    const vision = {
      wantsRaster: true,
      analyze: async (input: { raster?: unknown }) => {
        raster = input.raster;
        return VISION;
      },
    };
    await processUpload(notice, { count: 1, last: false }, deps(vision as IVisionProvider));
    expect(raster).toMatchObject({ width: 256, channels: 3 });
  });

  it('retries a transient inference failure before the last attempt', async () => {
    const vision = { wantsRaster: false, analyze: async () => Promise.reject(new InferenceError('timed out', true)) };
    await expect(processUpload(notice, { count: 2, last: false }, deps(vision))).rejects.toThrow('timed out');
    expect(written()).toEqual({});
  });

  it('records visionError and keeps the image PROCESSED when inference still fails on the last attempt', async () => {
    const vision = { wantsRaster: false, analyze: async () => Promise.reject(new InferenceError('timed out', true)) };
    const outcome = await processUpload(notice, { count: 5, last: true }, deps(vision));
    expect(outcome).toBe('PROCESSED');
    expect(written()).toMatchObject({ status: 'PROCESSED', visionError: { code: 'InferenceError' } });
  });

  it('does not retry an inference refusal that would fail again', async () => {
    const vision = { wantsRaster: false, analyze: async () => Promise.reject(new InferenceError('bad image', false)) };
    const outcome = await processUpload(notice, { count: 1, last: false }, deps(vision));
    expect(outcome).toBe('PROCESSED');
    expect(written()).toMatchObject({ visionError: { message: 'bad image' } });
  });
});

describe('LambdaVision', () => {
  const input = {
    imageId: ID,
    original: { bytes: Buffer.alloc(1), format: 'jpeg' },
    thumbnail: { bytes: Buffer.from('the thumbnail') },
    colour: { palette: [], brightness: { value: 100, class: 'normal' as const } },
    orientationKnown: false,
  };
  const payload = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));

  it('invokes the vision function with the thumbnail inline and returns its result', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(VISION) as never });
    await expect(new LambdaVision(new LambdaClient({}), 'vision').analyze(input)).resolves.toEqual(VISION);
    const sent = JSON.parse(
      Buffer.from(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array).toString(),
    );
    expect(sent).toEqual({
      imageId: ID,
      image: Buffer.from('the thumbnail').toString('base64'),
      colour: input.colour,
      orientationKnown: false,
    });
    expect(VisionRequestSchema.safeParse(sent).success).toBe(true);
  });

  it('sends a thumbnail too large for a payload as the pixels the models would look at, lossless', async () => {
    // Noise does not compress: a 1,400 px thumbnail of it is over the limit.
    const large = await sharp(randomBytes(1400 * 1400 * 3), { raw: { width: 1400, height: 1400, channels: 3 } })
      .webp({ lossless: true })
      .toBuffer();
    expect(large.length).toBeGreaterThan(MAX_INLINE_IMAGE_BYTES);
    const sent = await inlineImage(large);
    expect(await sharp(sent).metadata()).toMatchObject({ format: 'png', width: 1024, height: 1024 });
    expect(sent.length).toBeLessThanOrEqual(MAX_INLINE_IMAGE_BYTES);
    expect(await inlineImage(Buffer.from('small'))).toEqual(Buffer.from('small'));
  });

  it('calls an image refusal permanent and a runtime crash transient', async () => {
    const vision = new LambdaVision(new LambdaClient({}), 'vision');
    lambda
      .on(InvokeCommand)
      .resolvesOnce({
        FunctionError: 'Unhandled',
        Payload: payload({ errorType: 'ImageRejectedError', errorMessage: 'not an image' }) as never,
      })
      .resolvesOnce({
        FunctionError: 'Unhandled',
        Payload: payload({ errorType: 'Runtime.ExitError', errorMessage: 'signal: killed' }) as never,
      });
    await expect(vision.analyze(input)).rejects.toMatchObject({ transient: false });
    await expect(vision.analyze(input)).rejects.toMatchObject({ transient: true });
  });

  it.each([...PERMANENT_VISION_ERRORS])(
    'records %s, a refusal of the vision contract, without retrying',
    async (name) => {
      lambda.on(InvokeCommand).resolves({
        FunctionError: 'Unhandled',
        Payload: payload({ errorType: name, errorMessage: 'refused' }) as never,
      });
      await expect(new LambdaVision(new LambdaClient({}), 'vision').analyze(input)).rejects.toMatchObject({
        transient: false,
        message: `vision function failed: ${name}: refused`,
      });
    },
  );

  it("keeps the function's face descriptions beside the vision result, for the grouping", async () => {
    const faceDescriptions = {
      faces: [{ face: 0, box: { left: 0.1, top: 0.1, width: 0.2, height: 0.2 }, descriptor: Array(128).fill(0.01) }],
      skipped: { tooSmall: 1, overCap: 0 },
    };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ...VISION, faceDescriptions }) as never });
    const result = await new LambdaVision(new LambdaClient({}), 'vision').analyze(input);
    expect(result).toEqual({ ...VISION, faceDescriptions });
  });

  it('refuses face descriptions whose descriptor is not 128 numbers', async () => {
    const faceDescriptions = {
      faces: [{ face: 0, box: { left: 0.1, top: 0.1, width: 0.2, height: 0.2 }, descriptor: [0.1, 0.2] }],
      skipped: { tooSmall: 0, overCap: 0 },
    };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ...VISION, faceDescriptions }) as never });
    await expect(new LambdaVision(new LambdaClient({}), 'vision').analyze(input)).rejects.toThrow('not a result');
  });

  it('refuses an answer that is not a vision result', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ labels: 'many' }) as never });
    await expect(new LambdaVision(new LambdaClient({}), 'vision').analyze(input)).rejects.toThrow('not a result');
  });
});
