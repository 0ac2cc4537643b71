import { clearCaches } from '@aws-lambda-powertools/parameters';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ADMIN_USER,
  API_ENV,
  type ApiHandler,
  apiEvent,
  invoke,
  OTHER_USER,
  type TestIdentity,
  useApiEnv,
} from '../../../../support/api-events';
import { IDS, pendingItem } from '../../../../support/items';
import {
  answerSecret,
  mockSecrets,
  processedItem,
  RENDITIONS_URL,
  SIGNING_ENV,
  SIGNING_SECRET_ARN,
  verified,
} from './signing-support';

// The API's rendition settings, with a text watermark configured.
const renditionSettings = {
  ...JSON.parse(API_ENV.RENDITION_SETTINGS as string),
  watermarks: { credit: { text: '© Example' } },
};
useApiEnv({ ...SIGNING_ENV, RENDITION_SETTINGS: JSON.stringify(renditionSettings) });
const { handler } = require('../../../../../lambdas/renditions/functions/create-rendition/handler') as {
  handler: ApiHandler;
};

const dynamo = mockClient(DynamoDBDocumentClient);
const secrets = mockSecrets();

/** `POST /images/{id}/renditions` with a body (sent as JSON unless a string). */
function post(id: string, body: unknown, as?: TestIdentity | null, isBase64Encoded = false) {
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      resource: '/images/{id}/renditions',
      path: `/images/${id}/renditions`,
      pathParameters: { id },
      headers: { 'Content-Type': 'application/json' },
      body,
      isBase64Encoded,
      as,
    }),
  );
}

interface Signed {
  url: string;
  expiresAt: string;
}

describe('POST /images/{id}/renditions', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo
      .on(GetCommand, { Key: { imageId: IDS.newer } })
      .resolves({ Item: processedItem({ width: 1280, height: 800 }) });
  });

  it('answers a URL on the renditions origin that the render function verifies, for this image and spec', async () => {
    const response = await post(IDS.newer, { w: 400, h: 400, gravity: 'smart', format: 'avif' });
    expect(response.statusCode).toBe(200);
    const { url } = response.json as Signed;
    expect(verified(url)).toMatchObject({
      origin: RENDITIONS_URL,
      imageId: IDS.newer,
      query: 'w=400&h=400&gravity=smart&format=avif',
      kid: 'initial',
    });
  });

  it('says the size the rendition will have, and that it is capped when asked for more than the image has', async () => {
    // 1280 x 800: 400 x 300 fits; 4000 x 2500 (2000 x 1250 at dpr 2) does not, and is the image's own size.
    expect((await post(IDS.newer, { w: 400, h: 300 })).json).toMatchObject({ width: 400, height: 300, capped: false });
    expect((await post(IDS.newer, { w: 2000, h: 1250, dpr: 2 })).json).toMatchObject({
      width: 1280,
      height: 800,
      capped: true,
    });
    // The box's shape is kept as it shrinks: a 2000 x 2000 square is 800 x 800.
    expect((await post(IDS.newer, { w: 2000, h: 2000 })).json).toMatchObject({ width: 800, height: 800, capped: true });
    // inside 400 x 400 is 400 x 250 by the image's shape, not capped; enlarge makes what was asked.
    expect((await post(IDS.newer, { w: 400, h: 400, fit: 'inside' })).json).toMatchObject({
      width: 400,
      height: 250,
      capped: false,
    });
    expect((await post(IDS.newer, { w: 2000, enlarge: true })).json).toMatchObject({
      width: 2000,
      height: 1250,
      capped: false,
    });
  });

  it('signs the canonical spelling, so two spellings of one spec get one URL', async () => {
    const first = (await post(IDS.newer, { q: 80, w: 400, flip: true, dpr: 2.0, hue: -90 })).json as Signed;
    const second = (await post(IDS.newer, { hue: 270, dpr: 2, flip: true, w: 400, q: 80, fit: 'cover' }))
      .json as Signed;
    expect(verified(first.url).query).toBe('w=400&dpr=2&flip&hue=270&q=80');
    expect(second.url).toBe(first.url);
  });

  it("counts a custom spec against the caller's minute and the image's specs, and a preset against neither", async () => {
    await post(IDS.newer, { w: 321 });
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.imageId as string);
    expect(updates).toEqual([expect.stringMatching(/^RATE#.+#\d+$/), IDS.newer]);
    dynamo.resetHistory();
    expect((await post(IDS.newer, { preset: 'card' })).statusCode).toBe(200);
    expect((await post(IDS.newer, { w: 400, h: 300, format: 'webp' })).statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });

  it('answers 429 with Retry-After past the per-minute limit, signing nothing', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const response = await post(IDS.newer, { w: 322 });
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(response.json).toEqual({ message: expect.stringMatching(/renditionsPerMinute\); try again in \d+ s$/) });
  });

  it('expands a preset into its parameters, the other fields overriding it', async () => {
    const { url } = (await post(IDS.newer, { preset: 'card', format: 'avif' })).json as Signed;
    expect(verified(url).query).toBe('w=400&h=300&format=avif');
  });

  it('expires after renditionUrlTtlSeconds, rounded up to the 5-minute window, and says when', async () => {
    const before = Date.now();
    const { url, expiresAt } = (await post(IDS.newer, { w: 10 })).json as Signed;
    const expires = verified(url).expires;
    expect(new Date(expires * 1000).toISOString()).toBe(expiresAt);
    expect(expires % 300).toBe(0);
    expect(expires * 1000 - before).toBeGreaterThanOrEqual(3600_000);
    expect(expires * 1000 - before).toBeLessThanOrEqual(3600_000 + 300_000 + 1000);
    expect(() => verified(url, new Date(expires * 1000))).toThrow(/^exp: this URL expired/);
  });

  it.each([
    ['a size of 0', { w: 0 }, /^w: must be a whole number of pixels, at least 1/],
    ['an unknown field', { width: 400 }, /unknown field "width"/],
    ['a size past the largest side', { w: 100_000 }, /renditionMaxSide 4096/],
    ['a format not in the grammar', { format: 'gif' }, /^format: must be one of jpeg, png, webp, avif, auto/],
    ['an unknown preset', { preset: 'poster' }, /^preset: no preset named poster \(presets: card, hero, avatar\)/],
    [
      'a watermark that is not configured',
      { watermark: 'logo' },
      /^watermark: no watermark named logo \(watermarks: credit\)/,
    ],
    ['not an object', [1, 2], /must be a JSON object/],
  ])('answers 400 for %s, naming it, before reading the image', async (_what, body, message) => {
    const response = await post(IDS.newer, body);
    expect(response.statusCode).toBe(400);
    expect((response.json as { message: string }).message).toMatch(message);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('answers 400 for a body that is not JSON, for none, and for a 10 KB one unread', async () => {
    expect((await post(IDS.newer, '{"w":')).json).toEqual({ message: 'body: not valid JSON' });
    expect((await post(IDS.newer, undefined)).json).toEqual({ message: 'body: a JSON spec is required' });
    const huge = await post(IDS.newer, JSON.stringify({ w: 10, pad: 'x'.repeat(10_000) }));
    expect(huge.statusCode).toBe(400);
    expect(huge.json).toEqual({ message: expect.stringMatching(/^body: \d+ bytes, over the 2048/) });
  });

  it('reads a base64-encoded body, as API Gateway passes a binary one', async () => {
    const body = Buffer.from(JSON.stringify({ w: 64 })).toString('base64');
    const response = await post(IDS.newer, body, undefined, true);
    expect(response.statusCode).toBe(200);
    expect(verified((response.json as Signed).url).query).toBe('w=64');
  });

  it('answers 400 for a crop past the edge of this image, naming the sizes', async () => {
    const response = await post(IDS.newer, { crop: { x: 1200, y: 0, w: 200, h: 100 } });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({
      message: "crop: x 1200 + w 200 = 1400 is past the image's width of 1280 px",
    });
  });

  it('answers 400 for a watermark on an animated image, and signs one on a still image', async () => {
    const spec = { w: 200, watermark: 'credit', watermarkOpacity: 0.8 };
    expect(verified(((await post(IDS.newer, spec)).json as Signed).url).query).toBe('w=200&wm=credit&wmo=0.8');
    dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 500, height: 500, animated: true }) });
    expect((await post(IDS.newer, spec)).json).toEqual({
      message: 'watermark: not drawn on animated images, and this one is animated',
    });
  });

  it('answers 400 for an output over the largest side from this image (w alone on a tall panorama)', async () => {
    dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 1000, height: 20_000 }) });
    const response = await post(IDS.newer, { w: 1600 });
    expect(response.statusCode).toBe(400);
    expect((response.json as { message: string }).message).toMatch(/^w, h: this spec makes a 20000 px side/);
  });

  it('answers 409 for an image that is not PROCESSED, saying its status', async () => {
    dynamo.on(GetCommand).resolves({ Item: pendingItem() });
    const pending = await post(IDS.newer, { w: 10 });
    expect(pending.statusCode).toBe(409);
    expect(pending.json).toEqual({ message: `image ${IDS.newer} is PENDING: only a PROCESSED image has renditions` });
    dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 10, height: 10 }, { status: 'REJECTED' }) });
    expect((await post(IDS.newer, { w: 10 })).statusCode).toBe(409);
  });

  it('answers 404 for an unknown image', async () => {
    dynamo.on(GetCommand).resolves({});
    const response = await post(IDS.unknown, { w: 10 });
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ message: `image ${IDS.unknown} not found` });
  });

  it("answers another owner's image 404 exactly as an unknown one, and reads no key", async () => {
    clearCaches();
    secrets.resetHistory();
    dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 10, height: 10 }, { owner: OTHER_USER.sub }) });
    const response = await post(IDS.newer, { w: 10 });
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ message: `image ${IDS.newer} not found` });
    expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
  });

  it('reads the key set once for many URLs (it is cached for KEY_CACHE_SECONDS)', async () => {
    clearCaches();
    secrets.resetHistory();
    for (const w of [10, 20, 30]) expect((await post(IDS.newer, { w })).statusCode).toBe(200);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('answers 500 without details when the key set cannot be read', async () => {
    clearCaches();
    secrets
      .on(GetSecretValueCommand, { SecretId: SIGNING_SECRET_ARN })
      .rejectsOnce(new Error('AccessDeniedException: not allowed'));
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const response = await post(IDS.newer, { w: 10 });
      expect(response.statusCode).toBe(500);
      expect(response.json).toEqual({ message: 'internal error' });
    } finally {
      errors.mockRestore();
      answerSecret(secrets);
    }
  });

  it("signs any owner's image for an admin", async () => {
    dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 10, height: 10 }, { owner: OTHER_USER.sub }) });
    expect((await post(IDS.newer, { w: 10 }, ADMIN_USER)).statusCode).toBe(200);
  });

  it('answers 401 without a verified caller, before reading anything', async () => {
    expect((await post(IDS.newer, { w: 10 }, null)).statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('answers 400 for a malformed id', async () => {
    const response = await post('not-an-id', { w: 10 });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^id: /) });
  });
});
