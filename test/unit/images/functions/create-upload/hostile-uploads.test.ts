import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type ApiHandler, createUploadEvent, invoke, useApiEnv } from '../../../../support/api-events';

/**
 * POST /uploads from a hostile client: what create-upload.test.ts does not already try. Every request gets a
 * 201 whose key the server chose, or a 400 that names the field, never a 5xx.
 */
useApiEnv();
const { handler } = require('../../../../../lambdas/images/functions/create-upload/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);

interface Ticket {
  imageId: string;
  upload: { url: string; fields: Record<string, string> };
}

async function upload(body: unknown) {
  return invoke(handler, createUploadEvent(body));
}

function policyConditions(ticket: Ticket): unknown[] {
  return JSON.parse(Buffer.from(ticket.upload.fields.Policy as string, 'base64').toString('utf8')).conditions;
}

describe('POST /uploads from a hostile client', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(PutCommand).resolves({});
  });

  it.each([
    ['a Windows path traversal', '..\\..\\x.jpg'],
    ['an absolute path', '/etc/passwd'],
    ['percent-encoded traversal', '..%2F..%2Fetc%2Fpasswd'],
    ['a right-to-left override', 'photo\u202Egpj.exe'],
    ['only dots', '..'],
    // S3's own form placeholder, which a key of `uploads/${filename}` would have expanded.
    ['a template placeholder', '\u0024{filename}'],
  ])('stores a filename with %s as metadata only, under a key the server chose', async (_kind, filename) => {
    const response = await upload({ contentType: 'image/jpeg', size: 10, filename });
    expect(response.statusCode).toBe(201);
    const ticket = response.json as Ticket;
    const key = `uploads/${ticket.imageId}.jpg`;
    expect(ticket.upload.fields.key).toBe(key);
    expect(policyConditions(ticket)).toContainEqual({ key });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ key, filename });
  });

  it.each([
    ['a 10 kB filename', { filename: 'a'.repeat(10_000) }, /^filename: must be at most 255/],
    ['a lone surrogate in the filename', { filename: 'photo\uD800.jpg' }, /^filename: must be valid Unicode/],
    ['a lone low surrogate in the filename', { filename: '\uDC00' }, /^filename: must be valid Unicode/],
    ['an empty filename', { filename: '' }, /^filename: must not be empty/],
    ['a carriage return in the filename', { filename: 'a\r.jpg' }, /^filename: must not contain control/],
    ['a filename that is an object', { filename: { toString: 'x' } }, /^filename: must be a string/],
  ])('returns 400 for %s', async (_kind, fields, message) => {
    const response = await upload({ contentType: 'image/jpeg', size: 10, ...fields });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(message) });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('accepts a filename with astral-plane characters, which are surrogate pairs, not lone ones', async () => {
    expect((await upload({ contentType: 'image/png', size: 10, filename: '🏖️ 𝒻.png' })).statusCode).toBe(201);
  });

  it.each([
    ['21 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /^tags: must be at most 20 tags$/],
    ['a 65-character tag', { tags: ['ok', 'a'.repeat(65)] }, /^tags\[1\]: must be at most 64 characters$/],
    ['a 10 kB tag', { tags: ['x'.repeat(10_000)] }, /^tags\[0\]: must be at most 64/],
    ['a lone surrogate in a tag', { tags: ['a', 'b', 'c', 'x\uD800'] }, /^tags\[3\]: must be valid Unicode/],
    ['a blank tag', { tags: ['   '] }, /^tags\[0\]: must not be empty/],
    ['a newline in a tag', { tags: ['a\nb'] }, /^tags\[0\]: must not contain control/],
    ['a number as a tag', { tags: [42] }, /^tags\[0\]: must be a string/],
    ['a nested array as a tag', { tags: [['a']] }, /^tags\[0\]: must be a string/],
    ['tags as a string', { tags: 'pier,sea' }, /^tags: must be an array of strings/],
    [
      '21 metadata keys',
      { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) },
      /^metadata: must have at most 20 keys/,
    ],
    [
      'a 3 kB metadata map',
      { metadata: { a: 'x'.repeat(1500), b: 'y'.repeat(1500) } },
      /^metadata: must be at most 2048 bytes/,
    ],
    // 700 three-byte characters: 700 characters, but 2100 UTF-8 bytes.
    [
      'a map over 2 kB in UTF-8 bytes only',
      { metadata: { a: '€'.repeat(700) } },
      /^metadata: must be at most 2048 bytes as JSON \(it is 2108\)/,
    ],
    ['a number as a metadata value', { metadata: { iso: 200 } }, /^metadata\.iso: must be a string$/],
    ['null as a metadata value', { metadata: { iso: null } }, /^metadata\.iso: must be a string$/],
    [
      'a nested object as a metadata value',
      { metadata: { camera: { model: 'X100' } } },
      /^metadata\.camera: must be a string$/,
    ],
    ['a lone surrogate in a metadata value', { metadata: { a: '\uDC00' } }, /^metadata\.a: must be valid Unicode/],
    ['a metadata key with a space', { metadata: { 'my key': 'v' } }, /^metadata: keys must be 1 to 64 characters/],
    ['an empty metadata key', { metadata: { '': 'v' } }, /^metadata: keys must be/],
    ['a 65-character metadata key', { metadata: { ['k'.repeat(65)]: 'v' } }, /^metadata: keys must be/],
    ['metadata as an array', { metadata: [['a', 'b']] }, /^metadata: must be a JSON object/],
    ['metadata as a string', { metadata: 'a=b' }, /^metadata: must be a JSON object/],
    ['metadata as null', { metadata: null }, /^metadata: must be a JSON object/],
  ])('returns 400 naming the field for %s', async (_kind, fields, message) => {
    const response = await upload({ contentType: 'image/jpeg', size: 10, ...fields });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(message) });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('returns 400 for a __proto__ metadata key, and pollutes nothing', async () => {
    const body = '{"contentType":"image/png","size":5,"metadata":{"__proto__":{"polluted":"yes"},"a":"b"}}';
    const response = await upload(body);
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: 'metadata: the key __proto__ is reserved' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('keeps a constructor metadata key as plain data, written as a Map the SDK marshals from its entries', async () => {
    // The mocked client marshals nothing: an own `constructor` key in a plain object passed here once, and the real
    // marshaller refused it (a 500). The round trip through a real table is in ../client-keys.test.ts.
    const body = '{"contentType":"image/png","size":5,"metadata":{"constructor":"x","toString":"y"}}';
    expect((await upload(body)).statusCode).toBe(201);
    const stored = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item?.metadata;
    expect(stored).toEqual(
      new Map([
        ['constructor', 'x'],
        ['toString', 'y'],
      ]),
    );
  });

  it('accepts 20 tags of 64 astral-plane characters and a map of exactly 2048 bytes', async () => {
    const tags = Array.from({ length: 20 }, (_, i) => String.fromCharCode(97 + i) + '𝒻'.repeat(63));
    // {"a":"…"} is 8 bytes besides the value.
    const response = await upload({ contentType: 'image/png', size: 5, tags, metadata: { a: 'x'.repeat(2040) } });
    expect(response.statusCode).toBe(201);
  });

  it.each([
    ['text/html'],
    ['*/*'],
    ['image/svg+xml'],
    ['image/jpeg\r\nx-amz-acl: public-read'],
    ['image/jpeg,text/html'],
    ['іmage/jpeg'], // Cyrillic і
    [''],
    [42],
    [null],
    [['image/jpeg']],
  ])('returns 400 for the content type %p', async (contentType) => {
    const response = await upload({ contentType, size: 10 });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^contentType: /) });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('accepts "IMAGE/JPEG " and signs only its canonical form', async () => {
    const response = await upload({ contentType: 'IMAGE/JPEG ', size: 10 });
    expect(response.statusCode).toBe(201);
    const ticket = response.json as Ticket;
    expect(ticket.upload.fields['Content-Type']).toBe('image/jpeg');
    expect(policyConditions(ticket)).toContainEqual({ 'Content-Type': 'image/jpeg' });
  });

  it.each([
    ['1e308', '1e308'],
    ['1e400 (Infinity once parsed)', '1e400'],
    ['2^53 + 2', String(2 ** 53 + 2)],
    ['null', 'null'],
    ['true', 'true'],
    ['a hex string', '"0x10"'],
    ['-0', '-0'],
    ['a negative fraction', '-0.5'],
    ['an object', '{"valueOf":10}'],
  ])('returns 400 for the size %s', async (_kind, size) => {
    const response = await upload(`{"contentType":"image/jpeg","size":${size}}`);
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^size: /) });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it.each([
    ['JSON null', 'null', /^body: must be a JSON object/],
    ['a JSON string', '"image/jpeg"', /^body: must be a JSON object/],
    ['a JSON number', '42', /^body: must be a JSON object/],
    ['an empty object', '{}', /^contentType: required; size: required/],
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /^body: /],
    ['100,000 nested objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, /^(body|contentType): /],
    ['a 6 MB filename', JSON.stringify({ contentType: 'image/jpeg', size: 1, filename: 'x'.repeat(6e6) }), /^filename/],
    ['a UTF-8 byte order mark', '\uFEFF{"contentType":"image/jpeg","size":1}', /^body: not valid JSON/],
  ])('returns 400 for %s as the body', async (_kind, body, message) => {
    const response = await upload(body);
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(message) });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('returns 400 for a body flagged base64 that is not', async () => {
    const event = createUploadEvent('{"contentType":"image/jpeg","size":1}');
    const response = await invoke(handler, { ...event, isBase64Encoded: true });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: 'body: not valid JSON' });
  });

  it('ignores fields that try to choose the key, the bucket or the ACL: the policy pins only what the server chose', async () => {
    const response = await upload({
      contentType: 'image/jpeg',
      size: 10,
      key: '../../etc/passwd',
      Key: 'thumbnails/x/128.webp',
      bucket: 'another-bucket',
      acl: 'public-read',
      success_action_redirect: 'https://evil.example.net',
      fields: { key: 'evil' },
    });
    expect(response.statusCode).toBe(201);
    const ticket = response.json as Ticket;
    const conditions = policyConditions(ticket);
    expect(conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'images-bucket' },
        { key: `uploads/${ticket.imageId}.jpg` },
        { 'Content-Type': 'image/jpeg' },
        ['content-length-range', 10, 10],
      ]),
    );
    // Besides those four, only the signature's own fields (X-Amz-*).
    const others = conditions.filter((c) => !Array.isArray(c) && !Object.keys(c as object)[0]?.startsWith('X-Amz-'));
    expect(others).toHaveLength(3);
    expect(Object.keys(ticket.upload.fields).sort()).toEqual(
      [
        'Content-Type',
        'Policy',
        'X-Amz-Algorithm',
        'X-Amz-Credential',
        'X-Amz-Date',
        'X-Amz-Signature',
        'bucket',
        'key',
      ].sort(),
    );
    expect(JSON.stringify(ticket)).not.toMatch(/evil|another-bucket|public-read|passwd/);
  });

  it('is not polluted by __proto__ or constructor keys in the body', async () => {
    const body =
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"contentType":"image/png","size":5}';
    const response = await upload(body);
    expect(response.statusCode).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).not.toHaveProperty('polluted');
  });
});
