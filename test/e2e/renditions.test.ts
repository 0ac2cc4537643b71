import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import sharp from 'sharp';
import { ImageApiClient, type SignedRenditionUrl } from '../../lambdas/cli/api-client';
import { signingSecretName } from '../../lambdas/local/resources';
import { signRendition } from '../../lambdas/renditions/signing';
import { parseSigningKeySet, signingKey } from '../../lambdas/renditions/signing-keys';
import { fixture } from '../fixtures';
import { clientsFor } from './support';
import { loadTarget, usersOf } from './target';

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 4);

const users = usersOf(target);
const client = (token: string) => new ImageApiClient(target.apiUrl, { apiKey: target.apiKey, bearerToken: token });
const alice = client(users.alice.token);
const bob = client(users.bob.token);
const { s3 } = clientsFor(target);

/** A rendition as a browser fetches it: no credentials, only the signed URL and an Accept header. */
async function fetchRendition(url: string, accept = 'image/avif,image/webp,*/*') {
  const response = await fetch(url, { headers: { accept } });
  const body = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    type,
    source: response.headers.get('x-rendition-source'),
    length: Number(response.headers.get('content-length')),
    body,
    message: type.startsWith('application/json') ? (JSON.parse(body.toString()) as { message: string }).message : '',
  };
}

/** What the bytes are, as a decoder reads them. */
async function decoded(body: Buffer) {
  const { format, width, height, compression } = await sharp(body).metadata();
  return { format: format === 'heif' && compression === 'av1' ? 'avif' : format, width, height };
}

/**
 * A URL signed with the deployment's own key, as only the API should: for what the API refuses to sign (an
 * expired URL, an image that is not PROCESSED). The key is read from the emulator, or E2E_SIGNING_SECRET_ARN.
 */
async function selfSigned(imageId: string, query: string, expires: number, origin: string): Promise<string> {
  const secretId = process.env.E2E_SIGNING_SECRET_ARN ?? signingSecretName(target.table.replace(/-images$/, ''));
  const secrets = new SecretsManagerClient(
    target.endpoint
      ? {
          endpoint: target.endpoint,
          region: process.env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }
      : {},
  );
  const { SecretString = '' } = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const key = signingKey(parseSigningKeySet(SecretString), new Date());
  return `${origin}${signRendition({ imageId, query, expires, key })}`;
}

/** The keys stored under the image's renditions/ prefix. */
async function storedRenditions(imageId: string): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: `renditions/${imageId}/` }));
  return (page.Contents ?? []).map((object) => object.Key as string);
}

/** Bytes no other test uploaded: the fixture with random bytes after its end. */
const unique = (name: string) => Buffer.concat([fixture(name), randomBytes(16)]);

describe('renditions through the local runner', () => {
  /** pier.jpg, 1280 x 800, PROCESSED. */
  let pier: string;
  let presets: Record<string, SignedRenditionUrl>;
  let origin: string;

  beforeAll(async () => {
    pier = await alice.upload(unique('photos/pier.jpg'), { filename: 'pier.jpg' });
    const image = await alice.waitForFinal(pier, WAIT);
    expect(image.status).toBe('PROCESSED');
    presets = image.renditions ?? {};
    origin = new URL(Object.values(presets)[0]?.url ?? target.apiUrl).origin;
  });

  it('GET /images/{id} signs every preset; each comes back in its size and format', async () => {
    expect(Object.keys(presets).sort()).toEqual(['avatar', 'card', 'hero']);
    const expected = {
      // 400 x 300 WebP cover.
      card: { type: 'image/webp', format: 'webp', width: 400, height: 300 },
      // 1600 wide, clamped to the source's 1280 x 800 (no enlarge); auto, for a client that takes only JPEG.
      hero: { type: 'image/jpeg', format: 'jpeg', width: 1280, height: 800 },
      // 128 px square, smart gravity.
      avatar: { type: 'image/jpeg', format: 'jpeg', width: 128, height: 128 },
    };
    for (const [name, want] of Object.entries(expected)) {
      const answer = await fetchRendition(presets[name]?.url as string, 'image/jpeg');
      expect({ name, status: answer.status, type: answer.type }).toEqual({ name, status: 200, type: want.type });
      expect({ name, ...(await decoded(answer.body)) }).toEqual({
        name,
        format: want.format,
        width: want.width,
        height: want.height,
      });
    }
  });

  it('POST /images/{id}/renditions signs a custom spec, which comes back as asked', async () => {
    const turned = await alice.rendition(pier, { w: 500, rotate: 90, format: 'avif', sharpen: 1 });
    const answer = await fetchRendition(turned.url);
    expect(answer.type).toBe('image/avif');
    // Turned before resizing: the 800 x 1280 picture at 500 px wide.
    expect(await decoded(answer.body)).toEqual({ format: 'avif', width: 500, height: 800 });

    const grey = await alice.rendition(pier, { w: 300, h: 200, fit: 'fill', grayscale: true, format: 'png' });
    const png = await fetchRendition(grey.url);
    expect(await decoded(png.body)).toEqual({ format: 'png', width: 300, height: 200 });
    expect((await sharp(png.body).metadata()).channels).toBe(1);
  });

  it('format=auto: AVIF to a client that accepts it, WebP to one that accepts WebP, JPEG otherwise', async () => {
    const { url } = await alice.rendition(pier, { w: 200 });
    expect(new URL(url).searchParams.has('format')).toBe(false);
    const accepts = {
      'image/avif,image/webp,image/apng,*/*;q=0.8': 'image/avif',
      'image/webp,*/*': 'image/webp',
      '*/*': 'image/jpeg',
      'image/avif;q=0,image/webp': 'image/webp',
    };
    for (const [accept, type] of Object.entries(accepts)) {
      const answer = await fetchRendition(url, accept);
      expect({ accept, status: answer.status, type: answer.type }).toEqual({ accept, status: 200, type });
      expect((await decoded(answer.body)).width).toBe(200);
    }
  });

  it("answers a freshly processed image's eager card from the object the processor stored, on its first request", async () => {
    const fresh = await alice.upload(unique('photos/cups.jpg'), { filename: 'cups.jpg' });
    const image = await alice.waitForFinal(fresh, WAIT);
    expect(image.status).toBe('PROCESSED');
    const listed = (image.eagerRenditions ?? {}) as Record<string, string>;
    expect(Object.keys(listed)).toEqual(['card']);
    expect(await storedRenditions(fresh)).toEqual([listed.card]);
    const first = await fetchRendition(image.renditions?.card?.url as string, 'image/webp');
    expect({ status: first.status, source: first.source, type: first.type }).toEqual({
      status: 200,
      source: 'stored',
      type: 'image/webp',
    });
    expect(await decoded(first.body)).toEqual({ format: 'webp', width: 400, height: 300 });
  });

  it('serves a URL the second time from the stored rendition, the same bytes', async () => {
    const { url } = await alice.rendition(pier, { w: 320, h: 320, gravity: 'smart', format: 'webp' });
    const first = await fetchRendition(url);
    const second = await fetchRendition(url);
    expect([first.source, second.source]).toEqual(['rendered', 'stored']);
    expect(second.body.equals(first.body)).toBe(true);
  });

  it('answers 403 to a tampered URL: a changed, added or removed parameter, another image, no signature', async () => {
    const { url } = await alice.rendition(pier, { w: 200, format: 'webp' });
    const other = await alice.upload(unique('photos/leaf.jpg'), { filename: 'leaf.jpg' });
    const tampered = [
      url.replace('w=200', 'w=2000'),
      url.replace('format=webp', 'format=webp&blur=2'),
      url.replace('w=200&', ''),
      url.replace(pier, other),
      url.replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`),
      url.replace(/&sig=[^&]+/, ''),
      `${origin}/${pier}?w=200`,
    ];
    for (const candidate of tampered) {
      const answer = await fetchRendition(candidate);
      expect({ candidate, status: answer.status }).toEqual({ candidate, status: 403 });
      expect(answer.message).toMatch(/^(sig|exp, kid, sig|sig|kid): /);
    }
    expect((await fetchRendition(url)).status).toBe(200);
  });

  it('answers 403 to an expired URL, saying so', async () => {
    const expired = await selfSigned(pier, 'w=200', Math.floor(Date.now() / 1000) - 60, origin);
    const answer = await fetchRendition(expired);
    expect(answer.status).toBe(403);
    expect(answer.message).toMatch(/^exp: this URL expired at .*: ask the API for a new one$/);
    // The same key and spec with a live expiry: the refusal is for the time alone.
    const live = await selfSigned(pier, 'w=200', Math.floor(Date.now() / 1000) + 600, origin);
    expect((await fetchRendition(live)).status).toBe(200);
  });

  it('answers 409 for a PENDING or REJECTED image, from the API and from a signed URL', async () => {
    const pending = (await alice.call('POST', '/uploads', { contentType: 'image/jpeg', size: 1000 })) as {
      imageId: string;
    };
    const rejected = await alice.upload(unique('bad/text.jpg'), { filename: 'text.jpg' });
    expect((await alice.waitForFinal(rejected, WAIT)).status).toBe('REJECTED');
    for (const [imageId, status] of [
      [pending.imageId, 'PENDING'],
      [rejected, 'REJECTED'],
    ]) {
      await expect(alice.rendition(imageId as string, { w: 100 })).rejects.toMatchObject({ status: 409 });
      const url = await selfSigned(imageId as string, 'w=100', Math.floor(Date.now() / 1000) + 600, origin);
      const answer = await fetchRendition(url);
      expect({ status: answer.status, message: answer.message }).toEqual({
        status: 409,
        message: `image ${imageId} is ${status}: only a PROCESSED image has renditions`,
      });
    }
  });

  it("answers 404 for another owner's image at the API, and for a deleted image's URL", async () => {
    await expect(bob.rendition(pier, { w: 100 })).rejects.toMatchObject({ status: 404 });
    const doomed = await alice.upload(unique('photos/kite.jpg'), { filename: 'kite.jpg' });
    await alice.waitForFinal(doomed, WAIT);
    const { url } = await alice.rendition(doomed, { w: 100 });
    expect((await fetchRendition(url)).status).toBe(200);
    await alice.delete(doomed, { permanently: true });
    const answer = await fetchRendition(url);
    expect({ status: answer.status, message: answer.message }).toEqual({
      status: 404,
      message: `image ${doomed} not found`,
    });
  });

  it('tags a rendition and keeps it a minute; a cache revalidating it gets 304 until the image is deleted, then 404', async () => {
    const kept = await alice.upload(unique('photos/cups.jpg'), { filename: 'cups.jpg' });
    await alice.waitForFinal(kept, WAIT);
    const { url } = await alice.rendition(kept, { w: 120, format: 'webp' });
    const first = await fetch(url, { headers: { accept: 'image/webp' } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(new RegExp(`^W/"renditions/${kept}/[0-9a-f]{16}\\.webp"$`));
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');

    // What CloudFront sends once its copy's minute is up: the tag it holds.
    const revalidate = () => fetch(url, { headers: { accept: 'image/webp', 'if-none-match': etag } });
    const unchanged = await revalidate();
    expect({ status: unchanged.status, etag: unchanged.headers.get('etag') }).toEqual({ status: 304, etag });
    expect(unchanged.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await unchanged.arrayBuffer()).byteLength).toBe(0);

    await alice.delete(kept, { permanently: true });
    const gone = await revalidate();
    expect({ status: gone.status, body: await gone.json() }).toEqual({
      status: 404,
      body: { message: `image ${kept} not found` },
    });
  });

  it('streams a rendition over 6 MB whole: a 2400 x 1800 PNG, rendered and then stored', async () => {
    // Noise does not compress: as a PNG at full size it is over 10 MB, past a buffered Lambda answer's 6 MB.
    const [width, height] = [2400, 1800];
    const noise = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const big = await alice.upload(noise, { filename: 'noise.jpg' });
    expect((await alice.waitForFinal(big, WAIT)).status).toBe('PROCESSED');
    const { url } = await alice.rendition(big, { format: 'png' });
    const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    const rendered = await fetchRendition(url);
    expect(rendered.source).toBe('rendered');
    expect(rendered.body.length).toBeGreaterThan(6 * 1024 * 1024);
    expect(rendered.body.length).toBe(rendered.length);
    expect(await decoded(rendered.body)).toEqual({ format: 'png', width, height });
    const stored = await fetchRendition(url);
    expect({ source: stored.source, length: stored.body.length }).toEqual({
      source: 'stored',
      length: rendered.body.length,
    });
    expect(digest(stored.body)).toBe(digest(rendered.body));
  });

  it("deleting the image removes its stored renditions (renditions/<id>/), and no other image's", async () => {
    const gone = await alice.upload(unique('photos/boats.jpg'), { filename: 'boats.jpg' });
    await alice.waitForFinal(gone, WAIT);
    for (const spec of [{ w: 100 }, { w: 150, format: 'png' }, { preset: 'card' }]) {
      expect((await fetchRendition((await alice.rendition(gone, spec)).url)).status).toBe(200);
    }
    expect(await storedRenditions(gone)).toHaveLength(3);
    const kept = await storedRenditions(pier);
    expect(kept.length).toBeGreaterThan(0);
    await alice.delete(gone, { permanently: true });
    expect(await storedRenditions(gone)).toEqual([]);
    expect(await storedRenditions(pier)).toEqual(kept);
  });
});
