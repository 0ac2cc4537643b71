import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { shardOf } from '../../../../../lambdas/store/list-shards';
import {
  API_ENV,
  type ApiHandler,
  createUploadEvent,
  invoke,
  TEST_USER,
  useApiEnv,
} from '../../../../support/api-events';

useApiEnv();
const { handler } = require('../../../../../lambdas/images/functions/create-upload/handler') as {
  handler: ApiHandler;
};

const dynamo = mockClient(DynamoDBDocumentClient);
const MAX = Number(API_ENV.MAX_UPLOAD_BYTES);
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

interface UploadBody {
  imageId: string;
  upload: { url: string; fields: Record<string, string> };
  expiresAt: string;
}

/** The POST policy S3 will enforce, as the client receives it. */
function policyOf(body: UploadBody): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(body.upload.fields.Policy as string, 'base64').toString('utf8'));
}

async function upload(request: unknown, headers?: Record<string, string>) {
  return invoke(handler, createUploadEvent(request, headers));
}

/** The item written for the upload. */
function pendingWrite() {
  const put = dynamo.commandCalls(PutCommand)[0];
  if (!put) throw new Error('no item was written');
  return put.args[0].input;
}

describe('POST /uploads', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(PutCommand).resolves({});
  });

  it('answers 201 with a ULID image id, an S3 form and when it expires', async () => {
    const response = await upload({ contentType: 'image/jpeg', size: 1234 });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json' });
    const body = response.json as UploadBody;
    expect(body.imageId).toMatch(ULID);
    expect(body.upload.url).toContain('images-bucket');
    expect(body.upload.fields).toMatchObject({ key: `uploads/${body.imageId}.jpg`, 'Content-Type': 'image/jpeg' });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(590_000);
  });

  it('signs a policy that pins the exact key, the Content-Type and the declared size', async () => {
    const body = (await upload({ contentType: 'image/png', size: 5000, filename: 'a.png' })).json as UploadBody;
    const { conditions } = policyOf(body);
    expect(conditions).toContainEqual({ key: `uploads/${body.imageId}.png` });
    expect(conditions).toContainEqual({ 'Content-Type': 'image/png' });
    expect(conditions).toContainEqual(['content-length-range', 5000, 5000]);
    expect(conditions).toContainEqual({ bucket: 'images-bucket' });
    // Nothing in the policy lets the client choose another key.
    expect(JSON.stringify(conditions)).not.toContain('starts-with');
  });

  it('lets the policy expire after UPLOAD_URL_TTL_SECONDS', async () => {
    const body = (await upload({ contentType: 'image/jpeg', size: 10 })).json as UploadBody;
    const lifetime = (Date.parse(policyOf(body).expiration) - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(595);
    expect(lifetime).toBeLessThanOrEqual(600);
    expect(Math.abs(Date.parse(body.expiresAt) - Date.parse(policyOf(body).expiration))).toBeLessThan(2000);
  });

  it.each([
    ['a path traversal', '../../etc/passwd'],
    ['spaces', 'my holiday photo.jpg'],
    ['unicode', 'фото 🏖️ été.jpeg'],
    ['another key', 'uploads/01JABCDEFGHJKMNPQRSTVWXYZ0.jpg'],
  ])('keeps a filename with %s out of the key, as metadata only', async (_kind, filename) => {
    const body = (await upload({ contentType: 'image/jpeg', size: 10, filename })).json as UploadBody;
    const key = `uploads/${body.imageId}.jpg`;
    expect(body.upload.fields.key).toBe(key);
    expect(policyOf(body).conditions).toContainEqual({ key });
    expect(pendingWrite().Item).toMatchObject({ key, filename });
  });

  it('records a PENDING item that outlives the upload URL by a day', async () => {
    const before = Date.now();
    const body = (await upload({ contentType: 'image/webp', size: 99, filename: 'x.webp' })).json as UploadBody;
    const { TableName, Item, ConditionExpression } = pendingWrite();
    expect(TableName).toBe('images-table');
    expect(ConditionExpression).toBe('attribute_not_exists(imageId)');
    expect(Item).toEqual({
      imageId: body.imageId,
      entity: 'IMAGE',
      status: 'PENDING',
      owner: TEST_USER.sub,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      bucket: 'images-bucket',
      key: `uploads/${body.imageId}.webp`,
      contentType: 'image/webp',
      filename: 'x.webp',
      expiresAt: Math.floor(Date.parse(body.expiresAt) / 1000) + 24 * 3600,
      listShard: `IMAGE#${shardOf(body.imageId)}`,
      statusShard: `PENDING#${shardOf(body.imageId)}`,
      ownerShard: `${TEST_USER.sub}#${shardOf(body.imageId)}`,
      ownerStatusShard: `${TEST_USER.sub}#PENDING#${shardOf(body.imageId)}`,
      // In the owner's timeline at its upload time until the processor reads a date taken.
      takenKey: expect.stringMatching(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}#${body.imageId}$`)),
    });
    expect(Item?.takenKey).toBe(`${String(Item?.createdAt).slice(0, 19)}#${body.imageId}`);
    expect(Date.parse(Item?.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Item?.updatedAt).toBe(Item?.createdAt);
  });

  it('records the tags trimmed, without duplicates, and the metadata as given', async () => {
    const metadata = { album: 'summer 2025', 'camera.model': 'X100', 'geo:lat': '51.5' };
    await upload({ contentType: 'image/jpeg', size: 10, tags: [' pier ', 'sea', 'pier', 'Sea', '🏖️ plage'], metadata });
    // The metadata as a Map, which the marshaller takes whatever its keys (upload-metadata.ts: metadataAttribute).
    expect(pendingWrite().Item).toMatchObject({
      tags: ['pier', 'sea', 'Sea', '🏖️ plage'],
      metadata: new Map(Object.entries(metadata)),
    });
  });

  it('records no tags or metadata when the client sends none', async () => {
    await upload({ contentType: 'image/jpeg', size: 10 });
    expect(pendingWrite().Item?.tags).toBeUndefined();
    expect(pendingWrite().Item?.metadata).toBeUndefined();
  });

  it('accepts a content type in any case and signs its canonical form', async () => {
    const body = (await upload({ contentType: ' Image/JPEG ', size: 10 })).json as UploadBody;
    expect(policyOf(body).conditions).toContainEqual({ 'Content-Type': 'image/jpeg' });
  });

  it('accepts a base64-encoded body', async () => {
    const event = createUploadEvent(
      Buffer.from(JSON.stringify({ contentType: 'image/png', size: 7 })).toString('base64'),
    );
    const response = await invoke(handler, { ...event, isBase64Encoded: true });
    expect(response.statusCode).toBe(201);
  });

  it('accepts exactly MAX_UPLOAD_BYTES', async () => {
    expect((await upload({ contentType: 'image/jpeg', size: MAX })).statusCode).toBe(201);
  });

  describe('returns 400 naming the field', () => {
    it.each([
      [
        'the content type is not an image',
        { contentType: 'application/pdf', size: 10 },
        /^contentType: must be one of/,
      ],
      ['the content type is an image outside ALLOWED_TYPES', { contentType: 'image/gif', size: 10 }, /^contentType:/],
      ['the content type is a wildcard', { contentType: 'image/*', size: 10 }, /^contentType:/],
      ['the content type has parameters', { contentType: 'image/jpeg; q=1', size: 10 }, /^contentType:/],
      ['the content type is missing', { size: 10 }, /^contentType: required/],
      ['the size is zero', { contentType: 'image/jpeg', size: 0 }, /^size: must be at least 1 byte/],
      ['the size is negative', { contentType: 'image/jpeg', size: -5 }, /^size:/],
      ['the size is fractional', { contentType: 'image/jpeg', size: 1.5 }, /^size: must be a whole number/],
      ['the size is a string', { contentType: 'image/jpeg', size: '1024' }, /^size: must be a number/],
      ['the size is over MAX_UPLOAD_BYTES', { contentType: 'image/jpeg', size: MAX + 1 }, /^size: must be at most/],
      ['the size is missing', { contentType: 'image/jpeg' }, /^size: required/],
      [
        'the filename is over 255 characters',
        { contentType: 'image/jpeg', size: 1, filename: 'a'.repeat(256) },
        /^filename:/,
      ],
      [
        'the filename has a newline',
        { contentType: 'image/jpeg', size: 1, filename: 'a\nb.jpg' },
        /^filename: must not contain control/,
      ],
      ['the filename has a NUL', { contentType: 'image/jpeg', size: 1, filename: 'a\u0000.jpg' }, /^filename:/],
      ['the filename has a C1 control', { contentType: 'image/jpeg', size: 1, filename: 'a\u0085.jpg' }, /^filename:/],
      [
        'the filename is not a string',
        { contentType: 'image/jpeg', size: 1, filename: 42 },
        /^filename: must be a string/,
      ],
      ['the body is not an object', [{ contentType: 'image/jpeg', size: 1 }], /^body: must be a JSON object/],
      ['the body is not JSON', '{"contentType": "image/jpeg",', /^body: not valid JSON/],
    ])('when %s', async (_case, request, message) => {
      const response = await upload(request);
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({ message: expect.stringMatching(message) });
      expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    });

    it('when the body is missing', async () => {
      const response = await upload(undefined);
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({ message: 'body: a JSON object is required' });
    });

    it('for every bad field at once', async () => {
      const response = await upload({ contentType: 'text/html', size: 0 });
      expect((response.json as { message: string }).message).toMatch(/contentType: .*; size: /);
    });
  });

  describe('on a failure of its own', () => {
    let errors: jest.SpyInstance;
    beforeEach(() => {
      errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => errors.mockRestore());

    it('answers 500 "internal error" without the cause, and logs the cause', async () => {
      const secret = 'User arn:aws:iam::123456789012:role/api is not authorized to perform PutItem on images-table';
      dynamo.on(PutCommand).rejects(new Error(secret));
      const response = await upload({ contentType: 'image/jpeg', size: 10 });
      expect(response.statusCode).toBe(500);
      expect(response.json).toEqual({ message: 'internal error' });
      expect(response.body).not.toContain('images-table');
      expect(JSON.stringify(errors.mock.calls)).toContain(secret);
    });

    it('answers 500 when the id already exists rather than overwriting an image', async () => {
      dynamo
        .on(PutCommand)
        .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
      const response = await upload({ contentType: 'image/jpeg', size: 10 });
      expect(response.statusCode).toBe(500);
      expect(response.json).toEqual({ message: 'internal error' });
    });
  });

  describe('CORS', () => {
    it('echoes a configured origin', async () => {
      const response = await upload({ contentType: 'image/jpeg', size: 10 }, { origin: 'https://admin.example.com' });
      expect(response.headers).toMatchObject({
        'Access-Control-Allow-Origin': 'https://admin.example.com',
        'Access-Control-Expose-Headers': 'X-Image-Intel-Admin, Retry-After',
        Vary: 'Origin',
        // TEST_USER is in no admins group, and the answer says so.
        'X-Image-Intel-Admin': 'false',
      });
    });

    it('echoes a configured origin on an error too, so the browser can read the message', async () => {
      const response = await upload({ size: 10 }, { Origin: 'https://app.example.com' });
      expect(response.statusCode).toBe(400);
      expect(response.headers?.['Access-Control-Allow-Origin']).toBe('https://app.example.com');
    });

    it('sends no CORS header to an origin that is not configured', async () => {
      const response = await upload({ contentType: 'image/jpeg', size: 10 }, { Origin: 'https://evil.example.net' });
      expect(response.statusCode).toBe(201);
      expect(Object.keys(response.headers ?? {}).filter((name) => name.startsWith('Access-Control'))).toEqual([]);
    });
  });
});
