import { Readable } from 'node:stream';
import {
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { HttpResponse } from '@smithy/protocol-http';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import 'aws-sdk-client-mock-jest';
import { VisionSchema } from '../../../lambdas/core/vision-schema';
import {
  createRekognitionClient,
  REKOGNITION_MAX_BYTES,
  RekognitionProvider,
} from '../../../lambdas/vision/rekognition';
import { fixture } from '../../fixtures';

const recorded = (name: string) => JSON.parse(fixture(`rekognition/${name}.json`).toString('utf8'));
const photo = fixture('photos/kite.jpg');
/** What the processor hands over as the downscaled JPEG: the largest thumbnail (1024 px), encoded again. */
let downscaled: Buffer;
beforeAll(async () => {
  downscaled = await sharp(photo).resize(1024).jpeg({ quality: 90 }).toBuffer();
});
const input = (overrides: Partial<{ bytes: Buffer; format: string; downscaled: Buffer }> = {}) => {
  const { downscaled: made = downscaled, ...rest } = overrides;
  const downscaledJpeg = jest.fn(async () => made);
  return { bytes: photo, format: 'jpeg', downscaledJpeg, ...rest };
};
/** A JPEG of `width` x `height` from the photo, its shape changed. */
const jpegOf = (width: number, height: number, format: 'jpeg' | 'png' = 'jpeg') =>
  sharp(photo).resize({ width, height, fit: 'fill' }).toFormat(format).toBuffer();

describe('RekognitionProvider', () => {
  // The instance, not the class: the retry tests below need real clients.
  const client = new RekognitionClient({ region: 'eu-west-1' });
  const rekognition = mockClient(client);
  beforeEach(() => {
    rekognition.reset();
    rekognition.on(DetectLabelsCommand).resolves(recorded('detect-labels'));
    rekognition.on(DetectTextCommand).resolves(recorded('detect-text'));
    rekognition.on(DetectFacesCommand).resolves(recorded('detect-faces'));
    rekognition.on(DetectModerationLabelsCommand).resolves(recorded('detect-moderation-labels'));
  });
  const provider = (config = {}) => new RekognitionProvider(client, config);
  /** The size of the picture the calls were given. */
  const sentSize = async () => {
    const [call] = rekognition.commandCalls(DetectTextCommand);
    const { width, height } = await sharp(call?.args[0].input.Image?.Bytes as Uint8Array).metadata();
    return { width, height };
  };

  it('maps recorded responses into the shared schema, confidence 0-1', async () => {
    const vision = await provider().analyze(input());
    expect(VisionSchema.parse(vision)).toEqual(vision);
    expect(vision.labels).toEqual([
      { name: 'Cat', confidence: 0.9891, source: 'rekognition' },
      { name: 'Cup', confidence: 0.912, source: 'rekognition' },
      { name: 'Animal', confidence: 0.9891, source: 'rekognition' },
    ]);
    expect(vision.objects).toEqual([
      { name: 'cat', confidence: 0.9891, box: { left: 0.3115, top: 0.1503, width: 0.4213, height: 0.7788 } },
      // The box spills over the right edge (0.93 + 0.12): clamped to the image.
      { name: 'cup', confidence: 0.884, box: { left: 0.93, top: 0.7, width: 0.07, height: 0.18 } },
    ]);
    expect(vision.text.fullText).toBe('OPEN DAILY\n9am - 5pm');
    expect(vision.text.lines[0]).toEqual({
      text: 'OPEN DAILY',
      confidence: 0.9935,
      box: { left: 0.29, top: 0.12, width: 0.41, height: 0.06 },
    });
    expect(vision.faces).toEqual([{ confidence: 0.9999, box: { left: 0, top: 0.25, width: 0.18, height: 0.31 } }]);
    expect(vision.moderation).toEqual({
      checked: true,
      flagged: true,
      threshold: 0.8,
      labels: [
        { name: 'Violence', confidence: 0.875 },
        { name: 'Weapons', confidence: 0.621, parent: 'Violence' },
      ],
    });
    expect(vision.inference).toMatchObject({
      provider: 'rekognition',
      models: { DetectLabels: '3.0', DetectText: '3.0', DetectFaces: 'unknown', DetectModerationLabels: '7.0' },
      // 4 Group 2 calls at $0.001, and DetectLabels' image properties at $0.00075.
      costUsd: 0.00475,
    });
  });

  it('drops instances and lines below the minimum confidence', async () => {
    const vision = await provider({ minConfidence: 0.9 }).analyze(input());
    expect(vision.objects.map((o) => o.name)).toEqual(['cat']);
    expect(vision.text.lines.map((l) => l.text)).toEqual(['OPEN DAILY', '9am - 5pm']);
    expect(rekognition).toHaveReceivedCommandWith(DetectLabelsCommand, { MinConfidence: 90 });
  });

  it('does not flag moderation labels below the threshold', async () => {
    const vision = await provider({ moderationThreshold: 0.9 }).analyze(input());
    expect(vision.moderation).toMatchObject({ flagged: false, threshold: 0.9 });
    expect(vision.moderation.labels).toHaveLength(2);
  });

  it('calls only the enabled APIs and bills only those', async () => {
    const vision = await provider({
      features: { labels: true, text: false, faces: false, moderation: false, imageProperties: false },
    }).analyze(input());
    expect(rekognition).toHaveReceivedCommandTimes(DetectLabelsCommand, 1);
    expect(rekognition).not.toHaveReceivedCommand(DetectTextCommand);
    expect(rekognition).not.toHaveReceivedCommand(DetectFacesCommand);
    expect(rekognition).not.toHaveReceivedCommand(DetectModerationLabelsCommand);
    expect(rekognition).toHaveReceivedCommandWith(DetectLabelsCommand, { Features: ['GENERAL_LABELS'] });
    expect(vision.inference.costUsd).toBe(0.001);
    expect(vision.inference.models).toEqual({ DetectLabels: '3.0' });
    expect(vision.text).toEqual({ fullText: '', lines: [] });
    expect(vision.moderation).toEqual({ checked: false, flagged: false, threshold: 0.8, labels: [] });
  });

  it('sends a JPEG or PNG under 5 MB as it is', async () => {
    const request = input();
    await provider().analyze(request);
    expect(request.downscaledJpeg).not.toHaveBeenCalled();
    expect(rekognition).toHaveReceivedCommandWith(DetectTextCommand, { Image: { Bytes: photo } });
  });

  it.each([
    ['a HEIC, which Rekognition cannot read', { format: 'heic' }],
    ['a JPEG over 5 MB', { bytes: Buffer.alloc(REKOGNITION_MAX_BYTES + 1) }],
  ])('sends a downscaled JPEG for %s, made once for all calls', async (_case, overrides) => {
    const request = input(overrides);
    await provider().analyze(request);
    expect(request.downscaledJpeg).toHaveBeenCalledTimes(1);
    expect(rekognition).toHaveReceivedCommandWith(DetectFacesCommand, { Image: { Bytes: downscaled } });
  });

  describe('the 80-10,000 px a side Rekognition takes', () => {
    it('sends a 12,000 x 1,500 panorama under 5 MB as the downscaled JPEG, not as it is', async () => {
      const panorama = await jpegOf(12_000, 1_500);
      expect(panorama.length).toBeLessThan(REKOGNITION_MAX_BYTES);
      const request = input({ bytes: panorama, downscaled: await jpegOf(1024, 128) });
      const vision = await provider().analyze(request);
      expect(request.downscaledJpeg).toHaveBeenCalledTimes(1);
      expect(await sentSize()).toEqual({ width: 1024, height: 128 });
      expect(vision.scaled).toBeUndefined();
    });

    it('scales a 60 x 60 picture up to 80 x 80, says so, and sends every call the same bytes', async () => {
      const tiny = await jpegOf(60, 60);
      const vision = await provider().analyze(input({ bytes: tiny, downscaled: tiny }));
      expect(await sentSize()).toEqual({ width: 80, height: 80 });
      expect(vision.scaled).toEqual({ from: { width: 60, height: 60 }, to: { width: 80, height: 80 } });
      const sent = rekognition
        .calls()
        .map((call) => (call.args[0].input as { Image: { Bytes: Uint8Array } }).Image.Bytes);
      expect(new Set(sent).size).toBe(1);
      expect(VisionSchema.safeParse(vision).success).toBe(true);
    });

    it('scales a strip 60 px tall up so its short side is 80, its shape kept', async () => {
      const strip = await jpegOf(1024, 60, 'png');
      const vision = await provider().analyze(
        input({ bytes: strip, format: 'png', downscaled: await jpegOf(1024, 60) }),
      );
      expect(await sentSize()).toEqual({ width: 1365, height: 80 });
      expect(vision.scaled?.to).toEqual({ width: 1365, height: 80 });
    });

    it('refuses, calling nothing, a strip no scale brings into the range', async () => {
      const strip = await jpegOf(1024, 4);
      const request = provider().analyze(input({ bytes: strip, downscaled: strip }));
      await expect(request).rejects.toThrow(
        expect.objectContaining({ name: 'PictureOutOfRangeError', message: expect.stringContaining('1024x4') }),
      );
      expect(rekognition.calls()).toHaveLength(0);
    });

    it('sends a picture inside the range as it is: 80 x 80 and 10,000 px a side are in', async () => {
      const small = await jpegOf(80, 80);
      const vision = await provider().analyze(input({ bytes: small }));
      expect(rekognition).toHaveReceivedCommandWith(DetectTextCommand, { Image: { Bytes: small } });
      expect(vision.scaled).toBeUndefined();
    });
  });
});

describe('createRekognitionClient', () => {
  /** A real client over a fake transport: the SDK's own retry strategy runs, as it does in Lambda. */
  function clientAnswering(statuses: { status: number; body: unknown; type?: string }[]) {
    let calls = 0;
    const client = createRekognitionClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: {
        handle: async () => {
          const answer = statuses[Math.min(calls++, statuses.length - 1)] as (typeof statuses)[number];
          const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
          if (answer.type) headers['x-amzn-errortype'] = answer.type;
          return {
            response: new HttpResponse({
              statusCode: answer.status,
              headers,
              body: Readable.from([Buffer.from(JSON.stringify(answer.body))]),
            }),
          };
        },
      },
    });
    return { client, calls: () => calls };
  }
  const throttled = {
    status: 400,
    type: 'ThrottlingException',
    body: { __type: 'ThrottlingException', message: 'Rate exceeded' },
  };

  it('retries throttling with backoff until Rekognition answers', async () => {
    const { client, calls } = clientAnswering([throttled, throttled, { status: 200, body: recorded('detect-faces') }]);
    // The SDK's backoff (seconds, after throttling) on jest's clock, run on as the retries wait: the same retries,
    // without the wait.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    let settled = false;
    const analysed = new RekognitionProvider(client, {
      features: { labels: false, text: false, faces: true, moderation: false, imageProperties: false },
    })
      .analyze(input())
      .finally(() => {
        settled = true;
      });
    while (!settled) await jest.advanceTimersByTimeAsync(250);
    jest.useRealTimers();
    const vision = await analysed;
    expect(calls()).toBe(3);
    expect(vision.faces).toHaveLength(1);
  });

  it('does not retry an image Rekognition refuses', async () => {
    const invalid = {
      status: 400,
      type: 'InvalidImageFormatException',
      body: { __type: 'InvalidImageFormatException', message: 'Request has unsupported image format' },
    };
    const { client, calls } = clientAnswering([invalid]);
    const provider = new RekognitionProvider(client, {
      features: { labels: false, text: true, faces: false, moderation: false, imageProperties: false },
    });
    await expect(provider.analyze(input())).rejects.toMatchObject({ name: 'InvalidImageFormatException' });
    expect(calls()).toBe(1);
  });
});
