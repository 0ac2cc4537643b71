import { randomBytes, scryptSync } from 'node:crypto';
import { type GetSharedDeps, getShared } from '../../../lambdas/albums/functions/get-shared/get-shared';
import { SharedSchema } from '../../../lambdas/albums/functions/share-schemas';
import { imageIdOfSharedPhoto, sealCursor } from '../../../lambdas/renditions/share-scope';
import { parseSigningKeySet } from '../../../lambdas/renditions/signing-keys';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { renditionLimitsOf } from '../../../lambdas/settings/renditions';
import { TooManyRequestsError } from '../../../lambdas/shared/errors';
import { newShareToken, tokenHash } from '../../../lambdas/shares/secrets';
import type { ShareItem } from '../../../lambdas/shares/share';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { OTHER_USER, TEST_USER } from '../../support/api-events';
import { refusal } from '../../support/errors';
import { IDS, imageItem, processedAnalysis } from '../../support/items';
import { SECRET_STRING } from '../renditions/functions/create-rendition/signing-support';
import { MemoryShares } from './fakes';

const NOW = new Date('2026-11-28T08:00:00.000Z');
const THIRD = '01JABCDEFGHJKMNPQRSTVWXYZA';
const photo = (imageId: string, overrides: Partial<ImageItem> = {}) =>
  imageItem({
    imageId,
    analysis: processedAnalysis({ width: 1200, height: 800 }),
    place: { country: 'Norway', countryCode: 'NO', source: 'exif' } as never,
    ...overrides,
  });

/**
 * A password's hash as `hashPassword` writes it, at scrypt's lowest cost: `verifyPassword` checks at the cost the
 * stored value names, and what these tests count (attempts claimed before the check, 401s, 429s) does not depend on
 * it; the check stays asynchronous whatever its cost, so 60 guesses at once still overlap. The real cost is
 * secrets.test.ts's subject. At that cost the 150 checks here took 10 of this file's 12 CPU seconds.
 */
function cheapHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2, r: 1, p: 1 });
  return ['scrypt', 2, 1, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function setup(images: ImageItem[], albumIds?: string[]) {
  const shares = new MemoryShares();
  let clock = NOW;
  const warned: unknown[] = [];
  const read: string[] = [];
  const deps: GetSharedDeps = {
    shares,
    images: {
      get: async (id) => {
        read.push(id);
        return images.find((image) => image.imageId === id);
      },
    },
    // As album-read.ts pages an album: its owner's images, those in the trash left out, each with its status and size.
    albumImages: async ({ albumId, owner }) => {
      if (!albumIds || albumId !== 'al_0123456789abcdef0123' || owner !== TEST_USER.sub) return undefined;
      const members = albumIds.flatMap((id) => images.filter((image) => image.imageId === id));
      const shown = members.filter((image) => image.owner === owner && image.status !== 'TRASHED');
      return {
        name: 'Summer',
        images: shown.map(({ imageId, status, analysis }) => ({
          imageId,
          status,
          ...(analysis?.status === 'PROCESSED' && { width: analysis.metadata.width, height: analysis.metadata.height }),
        })),
      };
    },
    renditions: {
      signer: { keys: async () => parseSigningKeySet(SECRET_STRING), baseUrl: 'https://r.example', ttlSeconds: 3600 },
      limits: renditionLimitsOf(parseDeploymentSettings({})),
    },
    viewNotCounted: (error) => warned.push(error),
    now: () => clock,
  };
  const link = async (fields: Partial<ShareItem> = {}) => {
    const token = newShareToken();
    await shares.create({
      hash: tokenHash(token),
      owner: TEST_USER.sub,
      target: { kind: 'image', imageId: IDS.newer },
      title: 'Photo',
      createdAt: NOW.toISOString(),
      allowDownload: false,
      ...fields,
    });
    return token;
  };
  return { deps, shares, link, warned, read, move: (to: string) => (clock = new Date(to)) };
}

const page = { limit: 30 };

describe('opening a link', () => {
  it('shows the one image as two signed renditions, its size, and nothing else about it; counts a view', async () => {
    const { deps, link, shares } = setup([photo(IDS.newer)]);
    const token = await link();
    const shared = await getShared(token, page, deps);
    expect(SharedSchema.strict().parse(shared)).toEqual(shared);
    const id = shared.items[0]?.id as string;
    const signedFor = `&share=${tokenHash(token)}&exp=\\d+&kid=initial&sig=`;
    expect(shared).toEqual({
      kind: 'image',
      title: 'Photo',
      allowDownload: false,
      items: [
        {
          id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
          width: 1200,
          height: 800,
          thumbnailUrl: expect.stringMatching(new RegExp(`^https://r\\.example/${id}\\?.*w=400.*${signedFor}`)),
          viewUrl: expect.stringMatching(new RegExp(`^https://r\\.example/${id}\\?.*w=1600.*${signedFor}`)),
        },
      ],
    });
    expect(imageOf({ id }, token)).toBe(IDS.newer);
    // The id and the signatures are random base64 (pinned above): one may spell `gps` by chance ("...EGrGPs7...").
    const words = JSON.stringify(shared)
      .replaceAll(id, '<id>')
      .replace(/sig=[\w-]+/g, 'sig=<sig>');
    expect(words).not.toMatch(/Norway|pier|owner|label|gps/i);
    expect(shares.views.get(tokenHash(token))).toBe(1);
  });

  it('never names an image by its id, whose first ten characters are its upload time', async () => {
    const { deps, link } = setup([photo(IDS.newer)]);
    const token = await link({ allowDownload: true });
    const text = JSON.stringify(await getShared(token, page, deps));
    expect(text).not.toContain(IDS.newer);
    expect(text).not.toContain(IDS.newer.slice(0, 10));
    // Another link shows the same photo by another id: two links cannot be matched photo by photo.
    const other = (await getShared(await link(), page, deps)).items[0]?.id;
    expect(other).not.toBe(JSON.parse(text).items[0].id);
  });

  it("signs URLs that expire with the link, not after it: the edge refuses them from the link's expiry", async () => {
    const { deps, link } = setup([photo(IDS.newer)]);
    const expiresAt = new Date(NOW.getTime() + 8_000).toISOString();
    const shared = await getShared(await link({ expiresAt, allowDownload: true }), page, deps);
    const item = shared.items[0];
    for (const url of [item?.thumbnailUrl, item?.viewUrl, item?.downloadUrl]) {
      expect(Number(new URL(url as string).searchParams.get('exp'))).toBe(Math.floor(Date.parse(expiresAt) / 1000));
    }
  });

  it("shows an album's visible images, leaving out the trashed, the unprocessed and another owner's", async () => {
    const images = [
      photo(IDS.newer),
      photo(IDS.older, { status: 'TRASHED' }),
      photo(THIRD, { owner: OTHER_USER.sub }),
      photo(IDS.unknown, { status: 'PENDING', analysis: undefined }),
    ];
    const { deps, link, read } = setup(images, [IDS.newer, IDS.older, THIRD, IDS.unknown]);
    const album = { kind: 'album' as const, albumId: 'al_0123456789abcdef0123' };
    const token = await link({ target: album, title: 'Old name' });
    const shared = await getShared(token, page, deps);
    expect(shared.title).toBe('Summer');
    expect(shared.items.map((item) => [imageOf(item, token), item.width, item.height])).toEqual([
      [IDS.newer, 1200, 800],
    ]);
    expect(shared.items[0]?.downloadUrl).toBeUndefined();
    // The page has what a link shows: no record is read again, with downloads allowed too (the render function
    // finds the original when the download URL is opened).
    expect(read).toEqual([]);
    const withDownloads = await link({ target: album, allowDownload: true });
    const downloads = await getShared(withDownloads, page, deps);
    expect(downloads.items.map((item) => [imageOf(item, withDownloads), Boolean(item.downloadUrl)])).toEqual([
      [IDS.newer, true],
    ]);
    expect(read).toEqual([]);
  });

  it("is a 404 once the album is gone, and the one image's link a 410 once its photo is in the trash", async () => {
    const { deps, link } = setup([photo(IDS.newer, { status: 'TRASHED' })]);
    const album = await link({ target: { kind: 'album', albumId: 'al_ffffffffffffffffffff' } });
    expect((await refusal(getShared(album, page, deps))).statusCode).toBe(404);
    const gone = await refusal(getShared(await link(), page, deps));
    expect([gone.statusCode, gone.message]).toEqual([410, "this link's photo is no longer shared"]);
  });

  it("stops showing a photo locked since the link was made: a 410 that says no more than the trash's (issue 80)", async () => {
    const images = [photo(IDS.newer)];
    const { deps, link } = setup(images);
    const token = await link({ allowDownload: true });
    expect((await getShared(token, page, deps)).items).toHaveLength(1);
    images[0] = { ...(images[0] as ImageItem), locked: true };
    const gone = await refusal(getShared(token, page, deps));
    expect([gone.statusCode, gone.message]).toEqual([410, "this link's photo is no longer shared"]);
    images[0] = { ...(images[0] as ImageItem), locked: false };
    expect((await getShared(token, page, deps)).items).toHaveLength(1);
  });

  it('links the original only when the owner allowed downloads, as a URL the render function checks the link for', async () => {
    const { deps, link } = setup([photo(IDS.newer)]);
    const token = await link({ allowDownload: true });
    const item = (await getShared(token, page, deps)).items[0];
    expect(item?.downloadUrl).toMatch(
      new RegExp(`^https://r\\.example/${item?.id}\\?share=${tokenHash(token)}&download&exp=\\d+&kid=initial&sig=`),
    );
  });

  it("seals an album page's cursor, which names an image, and refuses one altered or another link's", async () => {
    const ids = Array.from({ length: 3 }, (_, i) => `01JABCDEFGHJKMNPQRSTVWXYZ${i}`);
    const { deps, link } = setup(
      ids.map((id) => photo(id)),
      ids,
    );
    const { albumImages } = deps;
    const asked: (string | undefined)[] = [];
    deps.albumImages = async (album, query) => {
      asked.push(query.cursor);
      const read = await albumImages?.(album, query);
      return read && { ...read, cursor: ids[0] };
    };
    const album = { kind: 'album' as const, albumId: 'al_0123456789abcdef0123' };
    const token = await link({ target: album });
    const { cursor } = await getShared(token, page, deps);
    expect(cursor).toBeDefined();
    expect(cursor).not.toContain(ids[0]);
    expect(Buffer.from((cursor as string).split('.')[1] as string, 'base64url').toString('latin1')).not.toContain(
      ids[0]?.slice(0, 10),
    );
    await getShared(token, { ...page, cursor }, deps);
    expect(asked).toEqual([undefined, ids[0]]);
    const other = await link({ target: album });
    expect((await refusal(getShared(other, { ...page, cursor }, deps))).statusCode).toBe(400);
    const altered = `${(cursor as string).slice(0, -2)}${(cursor as string).endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await refusal(getShared(token, { ...page, cursor: altered }, deps))).statusCode).toBe(400);
  });

  it('is a 404 for a token never issued, and for an issued one with a character changed, without a read', async () => {
    const { deps, link } = setup([photo(IDS.newer)]);
    const token = await link();
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const tried of [altered, newShareToken(), 'not-a-token', `${token}x`]) {
      expect((await refusal(getShared(tried, page, deps))).statusCode).toBe(404);
    }
  });

  it('is a 410 once revoked, and once expired (a minute past its expiry, not a minute before)', async () => {
    const { deps, link, move } = setup([photo(IDS.newer)]);
    const revoked = await link({ revokedAt: NOW.toISOString() });
    expect(await refusal(getShared(revoked, page, deps))).toMatchObject({
      statusCode: 410,
      message: expect.stringMatching(/revoked/),
    });
    const expiring = await link({ expiresAt: '2026-11-28T09:00:00.000Z' });
    move('2026-11-28T08:59:00.000Z');
    expect((await getShared(expiring, page, deps)).expiresAt).toBe('2026-11-28T09:00:00.000Z');
    move('2026-11-28T09:01:00.000Z');
    expect(await refusal(getShared(expiring, page, deps))).toMatchObject({
      statusCode: 410,
      message: expect.stringMatching(/expired/),
    });
  });

  it('starts counting its view as it opens, beside the page read, and answers once the count is done', async () => {
    const { deps, link, shares } = setup([photo(IDS.newer)]);
    const token = await link();
    const seen: string[] = [];
    shares.countView = async () => {
      seen.push('count sent');
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push('counted');
    };
    const { images } = deps;
    deps.images = {
      get: (id) => {
        seen.push('record read');
        return images.get(id);
      },
    };
    expect((await getShared(token, page, deps)).items).toHaveLength(1);
    expect(seen).toEqual(['count sent', 'record read', 'counted']);
    // A later page of the same view counts nothing.
    seen.length = 0;
    const keys = parseSigningKeySet(SECRET_STRING);
    const cursor = sealCursor('next', tokenHash(token), keys.keys[0] as { id: string; secret: string });
    await getShared(token, { ...page, cursor }, deps);
    expect(seen).toEqual([]);
  });

  it('answers even when its view cannot be counted', async () => {
    const { deps, link, shares, warned } = setup([photo(IDS.newer)]);
    shares.viewFails = true;
    expect((await getShared(await link(), page, deps)).items).toHaveLength(1);
    expect(warned).toHaveLength(1);
  });
});

describe('a protected link', () => {
  it('opens with its password only: none and a wrong one are a 401, and only the wrong one counts', async () => {
    const { deps, link, shares } = setup([photo(IDS.newer)]);
    const token = await link({ passwordHash: cheapHash('open sesame') });
    expect((await refusal(getShared(token, page, deps))).statusCode).toBe(401);
    expect((await refusal(getShared(token, { ...page, password: 'open sesamE' }, deps))).statusCode).toBe(401);
    // The client's count and the link's.
    expect([...shares.attempts.values()]).toEqual([1, 1]);
    expect((await getShared(token, { ...page, password: 'open sesame' }, deps)).items).toHaveLength(1);
    expect([...shares.attempts.values()]).toEqual([1, 1]);
  });

  it('answers 429 after 10 wrong passwords from one client in 15 minutes, the right one too, until the window ends', async () => {
    const { deps, link, move } = setup([photo(IDS.newer)]);
    const token = await link({ passwordHash: cheapHash('open sesame') });
    move('2026-11-28T08:05:00.000Z');
    const guesser = { ...page, client: '203.0.113.9' };
    for (let i = 0; i < 10; i++) {
      expect((await refusal(getShared(token, { ...guesser, password: `guess ${i}!` }, deps))).statusCode).toBe(401);
    }
    const throttled = await refusal(getShared(token, { ...guesser, password: 'open sesame' }, deps));
    expect(throttled).toBeInstanceOf(TooManyRequestsError);
    // The window began at 08:00: ten minutes left.
    expect((throttled as TooManyRequestsError).retryAfterSeconds).toBe(600);
    move('2026-11-28T08:15:00.000Z');
    expect((await getShared(token, { ...guesser, password: 'open sesame' }, deps)).items).toHaveLength(1);
  });

  it('checks at most 10 of 60 wrong passwords sent at once, each claimed before scrypt runs', async () => {
    const { deps, link, shares } = setup([photo(IDS.newer)]);
    const token = await link({ passwordHash: cheapHash('open sesame') });
    const guesses = Array.from({ length: 60 }, (_, i) =>
      refusal(getShared(token, { ...page, client: '203.0.113.9', password: `guess ${i}` }, deps)),
    );
    const codes = (await Promise.all(guesses)).map((error) => (error as { statusCode: number }).statusCode);
    expect(codes.filter((code) => code === 401)).toHaveLength(10);
    expect(codes.filter((code) => code === 429)).toHaveLength(50);
    expect(Math.max(...shares.attempts.values())).toBe(10);
  });

  it("keeps a recipient on another network out of a guesser's lockout, up to the link's ceiling", async () => {
    const { deps, link } = setup([photo(IDS.newer)]);
    const token = await link({ passwordHash: cheapHash('open sesame') });
    for (let i = 0; i < 11; i++) {
      await refusal(getShared(token, { ...page, client: '203.0.113.9', password: `guess ${i}` }, deps));
    }
    const recipient = { ...page, client: '198.51.100.4', password: 'open sesame' };
    expect((await getShared(token, recipient, deps)).items).toHaveLength(1);
    // An IPv6 guesser is one client for its whole /64, however many addresses it takes from it.
    for (let i = 0; i < 10; i++) {
      await refusal(getShared(token, { ...page, client: `2001:db8:1:2::${i + 1}`, password: `guess ${i}` }, deps));
    }
    const sameNetwork = { ...page, client: '2001:db8:1:2:ffff::1', password: 'nope' };
    expect(await refusal(getShared(token, sameNetwork, deps))).toBeInstanceOf(TooManyRequestsError);
  });

  it('answers every client 429 once the link has taken 100 wrong passwords in the window', async () => {
    const { deps, link } = setup([photo(IDS.newer)]);
    const token = await link({ passwordHash: cheapHash('open sesame') });
    for (let client = 0; client < 10; client++) {
      for (let i = 0; i < 10; i++) {
        const guess = { ...page, client: `192.0.2.${client}`, password: `guess ${i}` };
        expect((await refusal(getShared(token, guess, deps))).statusCode).toBe(401);
      }
    }
    const fresh = { ...page, client: '198.51.100.4', password: 'open sesame' };
    expect(await refusal(getShared(token, fresh, deps))).toBeInstanceOf(TooManyRequestsError);
  });
});

/** The image a shared item names, read back as only the render function can: with the signing key. */
function imageOf(item: { id: string }, token: string): string | undefined {
  return imageIdOfSharedPhoto(item.id, tokenHash(token), parseSigningKeySet(SECRET_STRING).keys[0]?.secret as string);
}
