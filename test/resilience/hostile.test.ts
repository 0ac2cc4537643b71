import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { LshFaceIndex } from '../../lambdas/people/face-index';
import { PeopleStore } from '../../lambdas/people/people-store';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { RESULTS_TABLE } from '../../lambdas/store/table-design';
import { fixture } from '../fixtures';
import { imageItem } from '../support/items';
import { box, imageId, personDescriptor } from '../support/people-table';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Hostile clients against the local API with tokens required (`--auth jwt`, as API Gateway's Cognito authorizer), on
 * the shared `offline-faces` runner (face grouping, for the people routes) as two users of this file's own:
 * every request gets a clear 4xx or an image that ends REJECTED or PROCESSED, never a 5xx, no one sees or changes
 * another owner's images, nothing is written outside `uploads/<id>.<ext>`, `thumbnails/<id>/<size>.webp` and the
 * renditions asked for, a rendition URL has one spelling, and the runner answers no page that reaches it by another
 * host name. Keys JavaScript knows another meaning of (`constructor`, `__proto__`), text DynamoDB cannot store (a lone
 * surrogate) and merges racing each other get a 2xx or a 4xx too.
 */
jest.setTimeout(180_000);

/** alice's token (the default caller) and bob's, both signed by the runner, for users of this file's own. */
let TOKEN: string;
let BOB: string;
let ALICE_NAME: string;
let BOB_NAME: string;
const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
const ID = '01JABCDEFGHJKMNPQRSTVWXYZ9';
const settings = parseDeploymentSettings(
  JSON.parse(readFileSync(path.join(__dirname, '../../cdk.json'), 'utf8')).context ?? {},
);
/** Every answer the API gave in this file, for the final "never a 5xx". */
const answered: Array<{ what: string; status: number }> = [];

let runner: SharedRunner;
/** The shared runner's buckets under its name prefix when this file started: a hostile request makes none. */
let bucketsAtStart: string[];
let api: ImageApiClient;
let bob: ImageApiClient;

interface Answer {
  status: number;
  body: string;
  json?: { message?: string; imageId?: string; upload?: { fields: Record<string, string> }; [k: string]: unknown };
}

/** One raw request: the path goes out exactly as written (fetch would normalise `..` and percent-encoding). */
function send(method: string, rawPath: string, options: { body?: string; headers?: Record<string, string> } = {}) {
  const url = new URL(runner.ready.apiUrl);
  const headers = {
    authorization: `Bearer ${TOKEN}`,
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: rawPath, headers: { ...headers, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          answered.push({ what: `${method} ${rawPath.slice(0, 80)}`, status });
          let json: Answer['json'];
          try {
            json = body ? JSON.parse(body) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status, body, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const presign = (body: unknown) => send('POST', '/uploads', { body: JSON.stringify(body) });
const policyOf = (answer: Answer) =>
  JSON.parse(Buffer.from(answer.json?.upload?.fields.Policy as string, 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };

beforeAll(async () => {
  // With face grouping, for the people routes (the tests below add people of their own through the store).
  runner = await profileRunner('offline-faces');
  [ALICE_NAME, BOB_NAME] = [fileUser('alice'), fileUser('bob')];
  [TOKEN, BOB] = await Promise.all([runner.token({ user: ALICE_NAME }), runner.token({ user: BOB_NAME })]);
  api = new ImageApiClient(runner.ready.apiUrl, { bearerToken: TOKEN });
  bob = new ImageApiClient(runner.ready.apiUrl, { bearerToken: BOB });
  bucketsAtStart = await prefixedBuckets();
});

/** The runner's resources' clients, straight on its emulator. */
function aws() {
  const config = {
    endpoint: runner.ready.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return { s3: new S3Client({ ...config, forcePathStyle: true }), dynamodb: new DynamoDBClient(config) };
}

/** The buckets named under the runner's prefix (its images bucket is `<prefix>-images`). */
async function prefixedBuckets(): Promise<string[]> {
  const prefix = runner.ready.bucket.replace(/-images$/, '-');
  const { Buckets = [] } = await aws().s3.send(new ListBucketsCommand({}));
  return Buckets.map((b) => b.Name as string).filter((name) => name.startsWith(prefix));
}

/** What the runner's tokens say, so a forgery differs from a real one only where the test means it to. */
function realClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}
const admins = (token: string) => ({ ...realClaims(token), 'cognito:groups': ['admins'] });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

/** Tokens no one should get past the authorizer with, each an admin's if it were believed. */
async function forgeries(): Promise<Array<[string, Record<string, string>]>> {
  const [header, , signature] = TOKEN.split('.') as [string, string, string];
  const edited = Buffer.from(JSON.stringify(admins(TOKEN))).toString('base64url');
  const signed = (alg: 'ES256' | 'HS256', key: Parameters<SignJWT['sign']>[0]) =>
    new SignJWT(admins(TOKEN)).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
  return [
    ['no Authorization header', {}],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['a token that is not a JWT', { authorization: `Bearer ${randomBytes(24).toString('base64url')}` }],
    ['an unsigned token (alg none)', { authorization: `Bearer ${new UnsecuredJWT(admins(TOKEN)).encode()}` }],
    ['a token signed by another key', { authorization: `Bearer ${await signed('ES256', otherKey)}` }],
    [
      'a token HMAC-signed with a guessed secret',
      { authorization: `Bearer ${await signed('HS256', new TextEncoder().encode('secret'))}` },
    ],
    ["alice's token with cognito:groups added", { authorization: `Bearer ${header}.${edited}.${signature}` }],
    ["alice's token without its signature", { authorization: `Bearer ${header}.${TOKEN.split('.')[1]}.` }],
    ['an API key instead', { authorization: '', 'x-api-key': randomBytes(16).toString('hex') }],
  ];
}

describe('without a token the runner signed', () => {
  const routes: Array<[string, string, string?]> = [
    ['POST', '/uploads', JSON.stringify({ contentType: 'image/jpeg', size: 10 })],
    ['GET', '/images'],
    ['GET', '/images?owner=alice'],
    ['GET', `/images/${ID}`],
    ['DELETE', `/images/${ID}`],
  ];

  it('answers 401 to every route, before any handler runs, whatever the forgery', async () => {
    for (const [kind, headers] of await forgeries()) {
      for (const [method, route, body] of routes) {
        const answer = await send(method, route, { body, headers: { authorization: '', ...headers } });
        expect({ kind, route, status: answer.status, json: answer.json }).toEqual({
          kind,
          route,
          status: 401,
          json: { message: 'Unauthorized' },
        });
      }
    }
    // Had a forged POST /uploads reached its handler, there would be a PENDING record.
    expect((await api.list()).items).toEqual([]);
  });

  it('answers 401 to the token in the query string', async () => {
    expect((await send('GET', `/images?access_token=${TOKEN}`, { headers: { authorization: '' } })).status).toBe(401);
  });

  it('answers 401 to a token of the runner once it has expired', async () => {
    const expiring = await runner.token({ user: ALICE_NAME, ttlSeconds: 1 });
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 401 && Date.now() < deadline) {
      status = (await send('GET', '/images', { headers: { authorization: `Bearer ${expiring}` } })).status;
      if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(401);
  });

  it('cannot delete an image that exists', async () => {
    const { imageId } = (await presign({ contentType: 'image/jpeg', size: 10 })).json as { imageId: string };
    for (const [, headers] of await forgeries()) {
      const answer = await send('DELETE', `/images/${imageId}`, { headers: { authorization: '', ...headers } });
      expect(answer.status).toBe(401);
    }
    expect(await api.get(imageId)).toMatchObject({ imageId, status: 'PENDING' });
  });
});

describe("another owner's images", () => {
  let alices: string;

  beforeAll(async () => {
    alices = (
      (await presign({ contentType: 'image/jpeg', size: 10, filename: 'alice.jpg' })).json as { imageId: string }
    ).imageId;
  });

  const asBob = (method: string, rawPath: string) =>
    send(method, rawPath, { headers: { authorization: `Bearer ${BOB}` } });

  it("answers bob's GET and DELETE of alice's image exactly as for an id that does not exist", async () => {
    for (const method of ['GET', 'DELETE']) {
      const theirs = await asBob(method, `/images/${alices}`);
      const none = await asBob(method, `/images/${ID}`);
      expect([theirs.status, theirs.json?.message?.replace(alices, '<id>')]).toEqual([
        none.status,
        none.json?.message?.replace(ID, '<id>'),
      ]);
      expect(theirs.status).toBe(404);
      expect(theirs.body).not.toContain(ALICE_NAME);
    }
    expect(await api.get(alices)).toMatchObject({ imageId: alices, filename: 'alice.jpg', status: 'PENDING' });
  });

  it("lists bob none of alice's images, whatever he asks for", async () => {
    const queries = [
      '',
      `?owner=${ALICE_NAME}`,
      '?owner=local',
      '?status=PENDING',
      `?owner=${BOB_NAME}&status=PENDING`,
    ];
    for (const query of queries) {
      const answer = await asBob('GET', `/images${query}`);
      expect(answer.body).not.toContain(alices);
      const another = query.includes(`owner=${ALICE_NAME}`) || query.includes('owner=local');
      expect([query, answer.status]).toEqual([query, another ? 403 : 200]);
    }
  });

  it("refuses bob alice's cursors and cursors he wrote to name her", async () => {
    await presign({ contentType: 'image/jpeg', size: 10 });
    const hers = ((await send('GET', '/images?limit=1')).json as { cursor: string }).cursor;
    expect(hers).toEqual(expect.any(String));
    const decoded = JSON.parse(Buffer.from(hers, 'base64url').toString('utf8'));
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      hers,
      forged({ ...decoded }),
      forged({ ...decoded, owner: BOB_NAME }),
      forged({ last: decoded.last }),
    ]) {
      const answer = await asBob('GET', `/images?limit=100&cursor=${cursor}`);
      if (answer.status === 200) {
        // His own list from that point on, which holds none of hers.
        expect(answer.body).not.toContain(alices);
      } else {
        expect([answer.status, answer.json?.message]).toEqual([400, expect.stringMatching(/^cursor: /)]);
      }
    }
    expect((await asBob('GET', `/images?cursor=${hers}`)).status).toBe(400);
  });

  it('lets bob upload and see his own, which alice never sees', async () => {
    const imageId = await bob.upload(Buffer.concat([fixture('photos/kite.jpg'), randomBytes(16)]), {
      filename: 'bob.jpg',
    });
    expect(await bob.get(imageId)).toMatchObject({ owner: BOB_NAME, filename: 'bob.jpg' });
    expect(await api.get(imageId)).toBeUndefined();
    expect((await api.list({ limit: 100 })).items.map((item) => item.imageId)).not.toContain(imageId);
  });
});

describe('tags and metadata', () => {
  it.each([
    ['a tag with a control character', { tags: ['ok', 'bell\u0007'] }, /^tags\[1\]: /],
    ['1,000 tags', { tags: Array.from({ length: 1000 }, (_, i) => `t${i}`) }, /^tags: /],
    ['a 1 MB metadata map', { metadata: { big: 'x'.repeat(1024 * 1024) } }, /^metadata/],
    [
      'metadata with 1,000 keys',
      { metadata: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'])) },
      /^metadata/,
    ],
  ])('answers 400 naming the field to %s', async (_kind, extra, message) => {
    const answer = await presign({ contentType: 'image/jpeg', size: 10, ...extra });
    expect([answer.status, answer.json?.message]).toEqual([400, expect.stringMatching(message)]);
  });
});

describe('keys JavaScript gives another meaning, and text DynamoDB cannot store', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'keeps the metadata key %s as given, and answers it back',
    async (key) => {
      const answer = await presign({ contentType: 'image/jpeg', size: 10, metadata: { [key]: 'x', album: 'y' } });
      expect(answer.status).toBe(201);
      const image = (await send('GET', `/images/${answer.json?.imageId}`)).json;
      expect(image?.metadata).toEqual({ [key]: 'x', album: 'y' });
    },
  );

  it('keeps a metadata key constructor through processing: the PROCESSED record has it as given', async () => {
    const metadata = { constructor: 'x', hasOwnProperty: 'y' };
    const imageId = await api.upload(Buffer.concat([fixture('photos/kite.jpg'), randomBytes(16)]), { metadata });
    expect(await api.waitForFinal(imageId, 60_000)).toMatchObject({ status: 'PROCESSED', metadata });
  });

  it('answers 400 naming metadata to the key __proto__, and leaves every object as it was', async () => {
    const body = '{"contentType":"image/jpeg","size":10,"metadata":{"__proto__":{"admin":"true"}}}';
    const answer = await send('POST', '/uploads', { body });
    expect([answer.status, answer.json?.message]).toEqual([400, 'metadata: the key __proto__ is reserved']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'answers ?%s= on every query route as an unknown parameter (400 naming it)',
    async (name) => {
      for (const route of ['/images', '/people', `/images/${ID}/similar`]) {
        const answer = await send('GET', `${route}?${name}=1`);
        expect([route, answer.status, answer.json?.message]).toEqual([route, 400, `query: unknown parameter: ${name}`]);
      }
    },
  );
});

describe('people named and merged by a hostile client', () => {
  let store: PeopleStore;
  let client: DynamoDBDocumentClient;
  let results: string;
  let owner: string;
  let faces = 0;

  /**
   * A person of alice's with one face, grouped as the processor groups one (none of her uploads has a face), in a
   * photo of hers the people routes find (a person whose every photo is gone, trashed or locked is not shown).
   */
  async function person(): Promise<string> {
    faces += 1;
    await client.send(new PutCommand({ TableName: results, Item: imageItem({ imageId: imageId(faces), owner }) }));
    const grouped = await store.groupFaces(owner, imageId(faces), {
      faces: [{ face: 0, box: box(0), descriptor: personDescriptor(faces) }],
      skipped: { tooSmall: 0, overCap: 0 },
    });
    return grouped.faces[0]?.personId as string;
  }

  beforeAll(() => {
    const { endpoint } = runner.ready;
    const peopleTable = runner.ready.tables.people;
    const aws = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    client = DynamoDBDocumentClient.from(new DynamoDBClient(aws));
    results = runner.ready.tables[RESULTS_TABLE.name] as string;
    store = new PeopleStore(client, peopleTable as string, new LshFaceIndex(client, peopleTable as string));
    owner = realClaims(TOKEN).sub as string;
  });

  it.each([
    // As JSON escapes: the characters themselves cannot be sent (UTF-8 has no form for them).
    ['a lone high surrogate', 'Ada \\uD800'],
    ['a lone low surrogate', '\\uDC00Ada'],
  ])('answers 400 naming name to a name with %s, and keeps the name it had', async (_kind, escaped) => {
    const personId = await person();
    expect((await send('PATCH', `/people/${personId}`, { body: '{"name":"Ada"}' })).status).toBe(200);
    const answer = await send('PATCH', `/people/${personId}`, { body: `{"name":"${escaped}"}` });
    expect([answer.status, answer.json?.message]).toEqual([
      400,
      'name: must be valid Unicode (it has a lone surrogate)',
    ]);
    expect((await send('GET', `/people/${personId}`)).json?.name).toBe('Ada');
  });

  it('answers 50 opposite merges at once with 200, 404 or 409 only, each pair ending as one person', async () => {
    // Five pairs, each merged both ways by ten requests at once: many readers of each person, so that a merge lands
    // between another's reads.
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 5; i++) pairs.push([await person(), await person()]);
    const merge = (target: string, source: string) =>
      send('POST', `/people/${target}/merge`, { body: JSON.stringify({ personIds: [source] }) });
    const answers = await Promise.all(
      pairs.flatMap(([ada, bob]) =>
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? merge(ada, bob) : merge(bob, ada))),
      ),
    );
    expect(answers).toHaveLength(50);
    expect(answers.map((answer) => answer.status).filter((status) => ![200, 404, 409].includes(status))).toEqual([]);
    for (const [ada, bob] of pairs) {
      // Whichever won, both ids now answer the same person, with both faces.
      const [asAda, asBob] = [await send('GET', `/people/${ada}`), await send('GET', `/people/${bob}`)];
      expect(asAda.json?.personId).toBe(asBob.json?.personId);
      expect(asAda.json?.faceCount).toBe(2);
    }
  });
});

describe('POST /uploads', () => {
  it.each([
    ['a path traversal', '../../etc/passwd'],
    ['a Windows path traversal', '..\\..\\x'],
    ['a right-to-left override', 'photo\u202Egpj.exe'],
    ['unicode', 'фото 🏖️ été.jpeg'],
    ['another key', 'uploads/other.jpg'],
  ])('keeps a filename with %s as metadata, under a key the server chose', async (_kind, filename) => {
    const answer = await presign({ contentType: 'image/jpeg', size: 10, filename });
    expect(answer.status).toBe(201);
    const key = answer.json?.upload?.fields.key as string;
    expect(key).toBe(`uploads/${answer.json?.imageId}.jpg`);
    expect(await api.get(answer.json?.imageId as string)).toMatchObject({ key, filename });
  });

  it.each([
    ['a NUL', 'a\u0000.jpg'],
    ['a newline', 'a\nb.jpg'],
    ['10,000 characters', 'x'.repeat(10_000)],
    ['a lone surrogate', 'lone \uD800 surrogate'],
  ])('answers 400 to a filename with %s', async (_kind, filename) => {
    const answer = await presign({ contentType: 'image/jpeg', size: 10, filename });
    expect([answer.status, answer.json?.message]).toEqual([400, expect.stringMatching(/^filename: /)]);
  });

  it.each(['text/html', 'image/*', '*/*', 'image/svg+xml', 'application/octet-stream'])(
    'answers 400 to the content type %j',
    async (contentType) => {
      const answer = await presign({ contentType, size: 10 });
      expect([answer.status, answer.json?.message]).toEqual([400, expect.stringMatching(/^contentType: /)]);
    },
  );

  it('takes "IMAGE/JPEG " as image/jpeg, and signs that', async () => {
    const answer = await presign({ contentType: 'IMAGE/JPEG ', size: 10 });
    expect(answer.status).toBe(201);
    expect(policyOf(answer).conditions).toContainEqual({ 'Content-Type': 'image/jpeg' });
  });

  it.each([
    ['over the limit', settings.maxUploadBytes + 1],
    ['negative', -1],
    ['zero', 0],
    ['fractional', 1.5],
    ['huge', Number.MAX_VALUE],
    ['a string', '1024'],
    ['missing', undefined],
  ])('answers 400 to a size that is %s', async (_kind, size) => {
    const answer = await presign({ contentType: 'image/jpeg', size });
    expect([answer.status, answer.json?.message]).toEqual([400, expect.stringMatching(/^size: /)]);
  });

  it.each([
    ['malformed JSON', '{"contentType": "image/jpeg",'],
    ['an array', '[{"contentType":"image/jpeg","size":10}]'],
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['a 9 MB filename', JSON.stringify({ contentType: 'image/jpeg', size: 1, filename: 'x'.repeat(9e6) })],
  ])('answers 400 to a body that is %s', async (_kind, body) => {
    expect((await send('POST', '/uploads', { body })).status).toBe(400);
  });

  it("answers 413 to a body over API Gateway's 10 MB", async () => {
    expect((await send('POST', '/uploads', { body: `"${'x'.repeat(11e6)}"` })).status).toBe(413);
  });

  it('signs a POST for one key, one Content-Type and one size', async () => {
    // moto accepts any form POST to the bucket, whatever the policy says, so a form reused for another key would
    // "work" here; S3 enforces the signed policy, so these conditions are what holds a client to its upload.
    const answer = await presign({ contentType: 'image/png', size: 4242, filename: 'uploads/other.png' });
    const { expiration, conditions } = policyOf(answer);
    expect(conditions).toEqual(
      expect.arrayContaining([
        { bucket: runner.ready.bucket },
        { key: `uploads/${answer.json?.imageId}.png` },
        { 'Content-Type': 'image/png' },
        ['content-length-range', 4242, 4242],
      ]),
    );
    expect(conditions.filter((c) => Array.isArray(c))).toEqual([['content-length-range', 4242, 4242]]);
    expect(Date.parse(expiration) - Date.now()).toBeLessThanOrEqual(900_000);
  });
});

describe('the query routes', () => {
  it('refuses a cursor from another status filter, with injected keys or random, and honours a real one', async () => {
    const first = (await send('GET', '/images?status=PENDING&limit=1')).json as { cursor: string };
    expect(first.cursor).toEqual(expect.any(String));
    expect((await send('GET', `/images?status=PENDING&limit=1&cursor=${first.cursor}`)).status).toBe(200);
    const injected = JSON.parse(Buffer.from(first.cursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...injected, entity: 'IMAGE' })).toString('base64url');
    for (const query of [
      `status=PROCESSED&cursor=${first.cursor}`,
      `cursor=${first.cursor}`,
      `status=PENDING&cursor=${forged}`,
      `cursor=${randomBytes(48).toString('base64url')}`,
    ]) {
      const answer = await send('GET', `/images?${query}`);
      expect([query, answer.status, answer.json?.message]).toEqual([query, 400, expect.stringMatching(/^cursor: /)]);
    }
  });

  it('caps a huge limit at 100 and refuses negative or non-numeric ones', async () => {
    // More than 100 images, so that a cap that did not hold would show.
    await Promise.all(Array.from({ length: 101 }, () => presign({ contentType: 'image/webp', size: 1 })));
    const huge = (await send('GET', '/images?limit=99999999999999999999')).json as {
      items: unknown[];
      cursor?: string;
    };
    expect(huge.items).toHaveLength(100);
    expect(huge.cursor).toEqual(expect.any(String));
    for (const limit of ['-1', 'abc', '1.5', '%00']) {
      expect([limit, (await send('GET', `/images?limit=${limit}`)).status]).toEqual([limit, 400]);
    }
  });

  it.each([
    ['a lower-case ULID', ID.toLowerCase()],
    ['a UUID', '0b9e6c4e-7a53-4cf5-9d5b-2f0a5a1c9a11'],
    ['a percent-encoded traversal', '..%2F..%2Fetc%2Fpasswd'],
    ['SQL', encodeURIComponent("1' OR '1'='1")],
    ['5,000 characters', 'A'.repeat(5000)],
    ['a ULID split by an encoded slash', `${ID.slice(0, 10)}%2F${ID.slice(10)}`],
    ['malformed percent-encoding', '%E0%A4%A'],
    ['a lone percent sign', '%'],
  ])('answers 400 to GET and DELETE of an id that is %s', async (_kind, id) => {
    for (const method of ['GET', 'DELETE']) {
      const answer = await send(method, `/images/${id}`);
      expect([method, answer.status, answer.json?.message]).toEqual([method, 400, expect.stringMatching(/^id: /)]);
    }
  });

  it.each(['/images/../uploads', '/images/', `/images/${ID}/../..`, `/images/${ID}/x`])(
    'answers 404 to the path %s, which is no route',
    async (rawPath) => {
      expect((await send('GET', rawPath)).status).toBe(404);
    },
  );
});

describe('uploads that lie about their content type', () => {
  it('records a JPEG declared as PNG as PROCESSED, with the format the bytes have', async () => {
    const imageId = await api.upload(Buffer.concat([fixture('photos/kite.jpg'), randomBytes(16)]), {
      contentType: 'image/png',
    });
    const image = await api.waitForFinal(imageId, 60_000);
    expect(image).toMatchObject({ status: 'PROCESSED', contentType: 'image/png', key: `uploads/${imageId}.png` });
    expect(image.analysis).toMatchObject({ metadata: { format: 'jpeg', width: 1280, height: 800 } });
  });

  it('records HTML declared as JPEG as REJECTED (UNSUPPORTED_FORMAT), with no thumbnails', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const imageId = await api.upload(html, { contentType: 'image/jpeg' });
    const image = await api.waitForFinal(imageId, 60_000);
    expect(image).toMatchObject({ status: 'REJECTED', rejection: { code: 'UNSUPPORTED_FORMAT' } });
    expect(image.thumbnails ?? {}).toEqual({});
    expect(image.urls?.thumbnails).toEqual({});
  });
});

/** The custom renditions the spelling tests below had signed, for the final check of what was written. */
const customRendered = new Set<string>();

describe('a rendition URL spelled another way', () => {
  // One rendition has one URL: every other spelling that verified would be a CloudFront cache key of its own, a
  // way past the cache to the render function. The runner serves the render function's URL itself, as the origin
  // behind CloudFront (no viewer-request function in front), so each refusal here is the origin's own.
  let issued: string;
  let imageId: string;
  beforeAll(async () => {
    imageId = await api.upload(Buffer.concat([fixture('photos/kite.jpg'), randomBytes(16)]));
    expect((await api.waitForFinal(imageId, 60_000)).status).toBe('PROCESSED');
    const signed = await send('POST', `/images/${imageId}/renditions`, {
      body: JSON.stringify({ w: 300, format: 'webp' }),
    });
    expect(signed.status).toBe(200);
    const url = new URL(signed.json?.url as string);
    expect(url.origin).toBe(runner.ready.apiUrl);
    issued = `${url.pathname}${url.search}`;
    customRendered.add(imageId);
  });

  it('answers the URL as the API gave it with the rendition', async () => {
    const answer = await send('GET', issued, { headers: { accept: 'image/webp' } });
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBeGreaterThan(0);
  });

  it("answers 403 to the signature with its last character's unused bits changed (the same bytes decoded)", async () => {
    const sig = /sig=([A-Za-z0-9_-]{43})$/.exec(issued)?.[1] as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = `${sig.slice(0, -1)}${alphabet[alphabet.indexOf(sig.slice(-1)) ^ 1]}`;
    expect(twin).not.toBe(sig);
    expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    const answer = await send('GET', issued.replace(`sig=${sig}`, `sig=${twin}`));
    expect(answer.status).toBe(403);
    expect(answer.json?.message).toMatch(/^sig: does not match/);
  });

  it.each<[string, (url: string) => string, string]>([
    ['%77= in place of w=', (url) => url.replace('?w=', '?%77='), '"%77" is not a parameter name as the API writes it'],
    ['an empty && pair', (url) => url.replace('&format=', '&&format='), 'an empty parameter (a stray &)'],
    ['a trailing &', (url) => `${url}&`, 'an empty parameter (a stray &)'],
    ['a parameter given twice', (url) => url.replace('?w=300', '?w=300&w=300'), 'w is given more than once'],
  ])('answers 400 to %s, and renders nothing for it', async (_, change, problem) => {
    const answer = await send('GET', change(issued));
    expect(answer.status).toBe(400);
    expect(answer.json?.message).toBe(`query: ${problem}; use the URL exactly as the API gave it`);
  });

  it('answers 421 to the rendition URL asked for under another Host (DNS rebinding)', async () => {
    const answer = await send('GET', issued, {
      headers: { host: `evil.example:${new URL(runner.ready.apiUrl).port}` },
    });
    expect(answer.status).toBe(421);
  });
});

describe('a web page the developer opens elsewhere', () => {
  it('cannot reach the runner through DNS rebinding: another Host is refused with 421 before any route', async () => {
    const port = new URL(runner.ready.apiUrl).port;
    const webApp = new URL(runner.ready.webUrl).pathname;
    for (const [host, route] of [
      [`evil.example:${port}`, '/images'],
      ['localhost:1', '/images'],
      ['evil.example', '/images'],
      [`evil.example:${port}`, webApp],
    ] as const) {
      const answer = await send('GET', route, { headers: { host } });
      expect(answer.status).toBe(421);
      expect(answer.json?.message).toMatch(
        /the local runner answers only localhost:\d+, 127\.0\.0\.1:\d+, \[::1\]:\d+/,
      );
    }
    const token = await send('POST', '/_local/token', {
      body: '{"user":"mallory","admin":true}',
      headers: { host: `evil.example:${port}` },
    });
    expect(token.status).toBe(421);
    expect((await send('GET', '/images', { headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
    expect((await send('GET', webApp, { headers: { host: `[::1]:${port}` } })).status).toBe(200);
  });

  /** One request to one of the runner's other ports, with the `Host` a rebinding page's browser would send. */
  function rebound(url: string, host: string, call: { target: string; body: unknown }) {
    const { hostname, port, pathname } = new URL(url);
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers = { host, 'x-amz-target': call.target, 'content-type': 'application/x-amz-json-1.0' };
      const req = request({ host: hostname, port, method: 'POST', path: pathname, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(call.body));
    });
  }

  /** Each of the runner's ports refuses a rebinding page's `Host` with a 421 and answers a loopback one. */
  async function refusesRebinding(url: string, call: { target: string; body: unknown }) {
    const port = new URL(url).port;
    for (const host of [`rebind.example:${port}`, 'rebind.example', `localhost.rebind.example:${port}`]) {
      const answer = await rebound(url, host, call);
      expect({ url, host, status: answer.status }).toEqual({ url, host, status: 421 });
      expect(JSON.parse(answer.body)).toEqual({ message: expect.stringMatching(/DNS rebinding\)$/) });
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect({ url, host, status: (await rebound(url, host, call)).status }).toEqual({ url, host, status: 200 });
    }
  }

  it("cannot read the runner's emulator through DNS rebinding: moto refuses another Host's Scan", async () => {
    const scan = { target: 'DynamoDB_20120810.Scan', body: { TableName: runner.ready.table } };
    await refusesRebinding(runner.ready.endpoint, scan);
  });

  it("cannot reach the runner's Step Functions API through DNS rebinding", async () => {
    const list = {
      target: 'AWSStepFunctions.ListExecutions',
      body: { stateMachineArn: runner.ready.backfillStateMachineArn },
    };
    await refusesRebinding(runner.ready.services.stepFunctions, list);
  });

  it("cannot reach the runner's Lambda API (the vision function's, with inference offline) through DNS rebinding", async () => {
    const { services, visionFunction } = runner.ready;
    expect([services.lambda, visionFunction]).toEqual([expect.any(String), expect.any(String)]);
    // An empty event: the function refuses it before it reads anything (Lambda's 200 with a function error), so the
    // loopback answers show the Invoke reached it and cost nothing.
    const invoke = `${services.lambda}/2015-03-31/functions/${visionFunction}/invocations`;
    await refusesRebinding(invoke, { target: '', body: {} });
  });

  it('cannot mint a token with a text/plain POST (a request a page may send anywhere without a preflight)', async () => {
    const answer = await send('POST', '/_local/token', {
      body: '{"user":"mallory","admin":true}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(415);
    expect(answer.json?.message).toBe('content-type: text/plain; /_local/token takes application/json');
    expect(answer.json?.token).toBeUndefined();
  });
});

describe('after all of the above', () => {
  it('never answered with a 5xx', () => {
    expect(answered.filter((a) => a.status >= 500)).toEqual([]);
    expect(answered.length).toBeGreaterThan(150);
  });

  it('wrote only uploads/<id>.<ext>, thumbnails/<id>/<size>.webp, the eager renditions each record lists and one custom rendition', async () => {
    const { bucket, table } = runner.ready;
    const { s3, dynamodb } = aws();
    expect(await prefixedBuckets()).toEqual(bucketsAtStart);
    expect(bucketsAtStart).toContain(bucket);
    // The shared bucket holds other files' images too: this file's keys are those naming one of its users' images,
    // and any key that names no image at all (which nothing may write).
    const ours = new Set<string>();
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateScan({ client: DynamoDBDocumentClient.from(dynamodb) }, { TableName: table })) {
      items.push(...(page.Items ?? []));
    }
    // The results table also holds each owner's count of signings per minute (RATE#<owner>#<minute>), no image.
    const images = items.filter(
      (item) => !String(item.imageId).startsWith('RATE#') && [ALICE_NAME, BOB_NAME].includes(item.owner as string),
    );
    for (const item of images) ours.add(item.imageId as string);
    const named = new RegExp(`^(?:uploads|thumbnails|renditions)/(${ULID})[./]`);
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
      const all = (page.Contents ?? []).map((o) => o.Key as string);
      keys.push(...all.filter((key) => ours.has(named.exec(key)?.[1] ?? '') || !named.test(key)));
    }
    const recorded = new Map(images.map((item) => [item.imageId as string, item.key as string]));
    // The renditions the processor made at ingest, as each record lists them (eagerRenditions: preset to key).
    const eager = new Set(
      images.flatMap((item) => Object.values((item.eagerRenditions ?? {}) as Record<string, string>)),
    );
    // The one custom rendition signed above, for the image it was signed for: its other spellings rendered nothing.
    const custom = new RegExp(`^renditions/(${ULID})/[0-9a-f]{16}\\.webp$`);
    const customKeys = keys.filter((key) => !eager.has(key) && customRendered.has(custom.exec(key)?.[1] ?? ''));
    expect(customKeys).toHaveLength(1);
    const upload = new RegExp(`^uploads/(${ULID})\\.[a-z]{3,4}$`);
    const thumbnail = new RegExp(`^thumbnails/(${ULID})/(?:${settings.thumbnailSizes.join('|')})\\.webp$`);
    const belongs = (key: string) => {
      const original = upload.exec(key)?.[1];
      if (original) return recorded.get(original) === key;
      const thumbnailOf = thumbnail.exec(key)?.[1];
      if (thumbnailOf !== undefined) return recorded.has(thumbnailOf);
      return eager.has(key) || customKeys.includes(key);
    };
    expect(keys.filter((key) => !belongs(key))).toEqual([]);
    for (const [imageId, key] of recorded) expect(key).toMatch(new RegExp(`^uploads/${imageId}\\.[a-z]{3,4}$`));
    // The two lying uploads, bob's photo, the photo whose rendition was spelled otherwise, and the one with metadata
    // named like Object.prototype's.
    expect(keys.filter((key) => key.startsWith('uploads/'))).toHaveLength(5);
  });
});
