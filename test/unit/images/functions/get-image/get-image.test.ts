import { clearCaches } from '@aws-lambda-powertools/parameters';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CALIBRATION, foundThresholdOf, thresholdOf } from '../../../../../lambdas/vision/calibration';
import {
  ADMIN_USER,
  type ApiHandler,
  getImageEvent,
  invoke,
  OTHER_USER,
  TEST_USER,
  type TestIdentity,
  useApiEnv,
} from '../../../../support/api-events';
import { IDS, imageItem, pendingItem } from '../../../../support/items';
import {
  answerSecret,
  mockSecrets,
  processedItem,
  RENDITIONS_URL,
  SIGNING_ENV,
  SIGNING_SECRET_ARN,
  verified,
} from '../../../renditions/functions/create-rendition/signing-support';

useApiEnv(SIGNING_ENV);
const { handler } = require('../../../../../lambdas/images/functions/get-image/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);
const secrets = mockSecrets();

interface Detail {
  imageId: string;
  status: string;
  urls: { original?: string; download?: string; thumbnails: Record<string, string> };
  renditions?: Record<string, { url: string; expiresAt: string }>;
  [field: string]: unknown;
}

async function get(id: string, as?: TestIdentity | null) {
  return invoke(handler, getImageEvent(id, undefined, as));
}

/** A presigned GET for one object of the test bucket, valid for DOWNLOAD_URL_TTL_SECONDS. */
function expectPresignedGet(url: string | undefined, key: string) {
  const parsed = new URL(url as string);
  expect(parsed.hostname).toBe('images-bucket.s3.eu-west-1.amazonaws.com');
  expect(decodeURIComponent(parsed.pathname)).toBe(`/${key}`);
  expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300');
  expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
}

describe('GET /images/{id}', () => {
  beforeEach(() => dynamo.reset());

  it('answers the image with presigned GETs for the original and each thumbnail', async () => {
    dynamo.on(GetCommand, { TableName: 'images-table', Key: { imageId: IDS.newer } }).resolves({ Item: imageItem() });
    const response = await get(IDS.newer);
    expect(response.statusCode).toBe(200);
    const { urls } = response.json as Detail;
    expectPresignedGet(urls.original, `uploads/${IDS.newer}.jpg`);
    expect(Object.keys(urls.thumbnails)).toEqual(['128', '512']);
    expectPresignedGet(urls.thumbnails['128'], `thumbnails/${IDS.newer}/128.webp`);
    expectPresignedGet(urls.thumbnails['512'], `thumbnails/${IDS.newer}/512.webp`);
    // The same object as a download under its file name, which S3 answers with this Content-Disposition.
    expectPresignedGet(urls.download, `uploads/${IDS.newer}.jpg`);
    expect(new URL(urls.download as string).searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="pier.jpg"; filename*=UTF-8''pier.jpg`,
    );
    expect(new URL(urls.original as string).searchParams.has('response-content-disposition')).toBe(false);
  });

  it('names a download safely whatever its file name: an ASCII fallback and the exact name in UTF-8', async () => {
    const item = imageItem({ filename: 'café "menu"; (Anne\'s) 2024.jpg' });
    dynamo.on(GetCommand, { TableName: 'images-table', Key: { imageId: IDS.newer } }).resolves({ Item: item });
    const { urls } = (await get(IDS.newer)).json as Detail;
    expect(new URL(urls.download as string).searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="caf_ _menu__ (Anne's) 2024.jpg"; filename*=UTF-8''caf%C3%A9%20%22menu%22%3B%20%28Anne%27s%29%202024.jpg`,
    );
  });

  it('answers the public view of the item', async () => {
    dynamo.on(GetCommand).resolves({ Item: imageItem({ eventPending: true, expiresAt: 1 }) });
    const detail = (await get(IDS.newer)).json as Detail;
    expect(detail).toMatchObject({
      imageId: IDS.newer,
      status: 'PROCESSED',
      filename: 'pier.jpg',
      sha256: 'a'.repeat(64),
    });
    for (const internal of ['entity', 'etag', 'eventPending', 'expiresAt']) expect(detail).not.toHaveProperty(internal);
  });

  it('answers its likely matches as a search finds them, less one its owner confirmed, and none without any', async () => {
    const box = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };
    // Between the score each class is found from and the one it is shown at.
    const between = (source: 'objects' | 'labels', name: string) =>
      (foundThresholdOf(CALIBRATION, source, name) + thresholdOf(CALIBRATION[source], name)) / 2;
    const vision = {
      labels: [],
      objects: [],
      text: { fullText: '', lines: [] },
      faces: [],
      candidates: {
        objects: [
          { name: 'horse', confidence: between('objects', 'horse'), box },
          { name: 'dog', confidence: between('objects', 'dog'), box },
        ],
        labels: [{ name: 'Vegetation', confidence: between('labels', 'Vegetation'), source: 'colour' as const }],
        faces: [],
      },
      moderation: { checked: false, flagged: false, threshold: 0.8, labels: [] },
      inference: { provider: 'onnx' as const, models: {}, durationMs: 1 },
    };
    const confirmed = { added: [{ name: 'dog', at: '2026-11-28T10:00:00.000Z' }], removed: [] };
    dynamo.on(GetCommand).resolves({ Item: imageItem({ vision, labelCorrections: confirmed }) });
    const { likely } = (await get(IDS.newer)).json as Detail;
    const expected = [
      { field: 'object', name: 'horse', confidence: between('objects', 'horse'), box },
      { field: 'label', name: 'Vegetation', confidence: between('labels', 'Vegetation') },
    ];
    expect(likely).toEqual(expected.sort((a, b) => b.confidence - a.confidence));
    dynamo.on(GetCommand).resolves({ Item: imageItem({ vision: { ...vision, candidates: undefined } }) });
    expect((await get(IDS.newer)).json).not.toHaveProperty('likely');
  });

  it('gives no original URL while the image is PENDING', async () => {
    dynamo.on(GetCommand).resolves({ Item: pendingItem() });
    const { urls, status } = (await get(IDS.newer)).json as Detail;
    expect(status).toBe('PENDING');
    expect(urls).toEqual({ thumbnails: {} });
  });

  it('gives the original but no thumbnails for a REJECTED image', async () => {
    dynamo.on(GetCommand).resolves({ Item: imageItem({ status: 'REJECTED', thumbnails: undefined }) });
    const { urls } = (await get(IDS.newer)).json as Detail;
    expectPresignedGet(urls.original, `uploads/${IDS.newer}.jpg`);
    expect(urls.thumbnails).toEqual({});
  });

  it("answers another owner's image 404 exactly as an unknown one, with no URL", async () => {
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: imageItem({ owner: OTHER_USER.sub }) });
    // That owner has granted the caller nothing.
    dynamo.on(GetCommand, { TableName: 'images-partners' }).resolves({});
    const response = await get(IDS.newer);
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ message: `image ${IDS.newer} not found` });
  });

  describe('as a partner', () => {
    const grant = (more: Record<string, unknown> = {}) => ({
      Item: { grantor: OTHER_USER.sub, partner: TEST_USER.sub, createdAt: 'c', updatedAt: 'u', ...more },
    });
    const partners = (answer: object) =>
      dynamo
        .on(GetCommand, { TableName: 'images-partners', Key: { pk: `G#${OTHER_USER.sub}`, sk: `P#${TEST_USER.sub}` } })
        .resolves(answer);

    it("answers another owner's image their grant to the caller covers", async () => {
      const item = imageItem({ owner: OTHER_USER.sub });
      dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: item });
      partners(grant());
      const response = await get(IDS.newer);
      expect(response.statusCode).toBe(200);
      expect((response.json as Detail).imageId).toBe(IDS.newer);
    });

    it.each([
      ['archived', { archived: true }, {}],
      ['locked', { locked: true }, {}],
      ['in the trash', { status: 'TRASHED' }, {}],
      ['taken before the grant begins', {}, { from: '2999-01-01T00:00:00' }],
    ])('answers 404 for one %s, as for an unknown one', async (_what, image, more) => {
      const item = imageItem({ owner: OTHER_USER.sub, ...image } as never);
      dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: item });
      partners(grant(more));
      const response = await get(IDS.newer);
      expect(response.statusCode).toBe(404);
      expect(response.json).toEqual({ message: `image ${IDS.newer} not found` });
    });
  });

  it('answers an image stored before owners existed to admins only', async () => {
    dynamo.on(GetCommand).resolves({ Item: imageItem({ owner: undefined }) });
    expect((await get(IDS.newer)).statusCode).toBe(404);
    expect((await get(IDS.newer, ADMIN_USER)).statusCode).toBe(200);
  });

  it("answers any owner's image to an admin, naming its owner", async () => {
    dynamo.on(GetCommand).resolves({ Item: imageItem({ owner: OTHER_USER.sub }) });
    const response = await get(IDS.newer, ADMIN_USER);
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ owner: OTHER_USER.sub });
  });

  it('answers 401 without a verified caller, before reading anything', async () => {
    expect((await get(IDS.newer, null)).statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('returns 404 for an unknown id', async () => {
    dynamo.on(GetCommand).resolves({});
    const response = await get(IDS.unknown);
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ message: `image ${IDS.unknown} not found` });
  });

  it.each([
    ['too short', '01JABC'],
    ['lower case', IDS.newer.toLowerCase()],
    ['a letter ULIDs never use', `${IDS.newer.slice(0, 25)}U`],
    ['a path', '..%2F..%2Fetc'],
  ])('returns 400 for an id that is %s, without reading the table', async (_kind, id) => {
    const response = await get(id);
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^id: /) });
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  describe('renditions', () => {
    /** The preset names and the canonical spec each URL was signed for, as the render function reads them. */
    const specs = (detail: Detail) =>
      Object.fromEntries(Object.entries(detail.renditions ?? {}).map(([name, { url }]) => [name, verified(url).query]));

    it('signs a URL per preset for a PROCESSED image, each one the render function accepts for this image', async () => {
      dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 1280, height: 800 }) });
      const detail = (await get(IDS.newer)).json as Detail;
      expect(specs(detail)).toEqual({
        card: 'w=400&h=300&format=webp',
        hero: 'w=1600',
        avatar: 'w=128&h=128&gravity=smart',
      });
      for (const { url, expiresAt } of Object.values(detail.renditions ?? {})) {
        expect(verified(url)).toMatchObject({ origin: RENDITIONS_URL, imageId: IDS.newer });
        expect(Date.parse(expiresAt)).toBe(verified(url).expires * 1000);
      }
    });

    it('leaves out a preset this image cannot take: the hero of a 1000 x 20000 panorama is over the largest side', async () => {
      dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 1000, height: 20_000 }) });
      expect(Object.keys(specs((await get(IDS.newer)).json as Detail))).toEqual(['card', 'avatar']);
    });

    it.each([
      ['PENDING', pendingItem()],
      ['REJECTED', imageItem({ status: 'REJECTED' })],
      ['FAILED', imageItem({ status: 'FAILED' })],
    ])('gives a %s image no renditions, and reads no key for it', async (_status, item) => {
      clearCaches();
      secrets.resetHistory();
      dynamo.on(GetCommand).resolves({ Item: item });
      const detail = (await get(IDS.newer)).json as Detail;
      expect(detail).not.toHaveProperty('renditions');
      expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
    });

    it('answers the record without renditions, and logs why, when the signing keys cannot be read', async () => {
      clearCaches();
      secrets
        .on(GetSecretValueCommand, { SecretId: SIGNING_SECRET_ARN })
        .rejectsOnce(new Error('ThrottlingException: rate exceeded'));
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        dynamo.on(GetCommand).resolves({ Item: processedItem({ width: 1280, height: 800 }) });
        const response = await get(IDS.newer);
        expect(response.statusCode).toBe(200);
        expect(response.json).toMatchObject({ status: 'PROCESSED', urls: { original: expect.any(String) } });
        expect(response.json).not.toHaveProperty('renditions');
        expect(JSON.stringify(errors.mock.calls)).toContain('ThrottlingException');
      } finally {
        errors.mockRestore();
        answerSecret(secrets);
      }
    });

    it("gives no renditions for another owner's image: it is a 404", async () => {
      const item = processedItem({ width: 10, height: 10 }, { owner: OTHER_USER.sub });
      dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: item });
      dynamo.on(GetCommand, { TableName: 'images-partners' }).resolves({});
      expect((await get(IDS.newer)).json).toEqual({ message: `image ${IDS.newer} not found` });
    });
  });
});
