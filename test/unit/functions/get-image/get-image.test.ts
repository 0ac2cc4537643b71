import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ADMIN_USER,
  type ApiHandler,
  getImageEvent,
  invoke,
  OTHER_USER,
  type TestIdentity,
  useApiEnv,
} from '../../../support/api-events';
import { IDS, imageItem, pendingItem } from '../../../support/items';

useApiEnv();
const { handler } = require('../../../../lambdas/functions/get-image/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);

interface Detail {
  imageId: string;
  status: string;
  urls: { original?: string; thumbnails: Record<string, string> };
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
    dynamo.on(GetCommand).resolves({ Item: imageItem({ owner: OTHER_USER.sub }) });
    const response = await get(IDS.newer);
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ message: `image ${IDS.newer} not found` });
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
});
