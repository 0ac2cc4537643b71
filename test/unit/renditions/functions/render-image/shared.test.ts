import type { Position } from '../../../../../lambdas/core/place';
import {
  answerRendition,
  type RenderConfig,
  type RenderDeps,
  type RenditionResult,
  SHARED_DOWNLOAD_SECONDS,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { canonicalQuery } from '../../../../../lambdas/renditions/query';
import { renditionExpiry, signRendition } from '../../../../../lambdas/renditions/signing';
import { signingKey } from '../../../../../lambdas/renditions/signing-keys';
import { parseRenditionSpec } from '../../../../../lambdas/renditions/spec';
import { tokenHash } from '../../../../../lambdas/shares/secrets';
import type { ShareItem } from '../../../../../lambdas/shares/share';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { refusal } from '../../../../support/errors';
import { locationIn, withGps } from '../../../../support/location-scan';
import { CONFIG, depsOver, ITEM, KEYS, LIMITS, NOW, PIER } from './memory-deps';

/**
 * The URLs a share link hands out (renditions/share-scope.ts), as the render function answers them: each request that
 * reaches it finds the link still open and the photo still its owner's, renders no metadata whatever the deployment
 * keeps, names no image id, and sends a download to a copy presigned for a moment.
 */

const HASH = tokenHash('a-token-of-43-characters-aaaaaaaaaaaaaaaaaa');
const BASEL: Position = { latitude: 47.56, longitude: 7.59 };
const KEEPING: RenderConfig = { ...CONFIG, keepGps: true, keepDigitalSourceType: true };

let original: Buffer;
beforeAll(async () => {
  original = await withGps(PIER, 'jpeg');
});

function setup(link: Partial<ShareItem> = {}) {
  let item: ImageItem = { ...ITEM, position: BASEL };
  const { objects, deps: plain } = depsOver(() => item);
  objects.objects.set(ITEM.key, { data: original, contentType: 'image/jpeg' });
  let share: ShareItem | undefined = {
    hash: HASH,
    owner: ITEM.owner as string,
    target: { kind: 'image', imageId: ITEM.imageId },
    title: 'Photo',
    createdAt: NOW.toISOString(),
    allowDownload: false,
    ...link,
  };
  const presigned: { key: string; seconds: number; filename: string }[] = [];
  const deps: RenderDeps = {
    ...plain,
    shares: {
      links: { get: async (hash) => (hash === share?.hash ? share : undefined) },
      presignDownload: async (key, options) => {
        presigned.push({ key, ...options });
        return `https://bucket.s3/${key}?X-Amz-Expires=${options.seconds}`;
      },
    },
  };
  return {
    deps,
    presigned,
    change: (fields: Partial<ShareItem> | undefined) => {
      share = fields && share ? { ...share, ...fields } : undefined;
    },
    reown: (owner: string) => {
      item = { ...item, owner };
    },
  };
}

/** A URL the link signs, as get-shared signs it. */
function sharedUrl(input: Record<string, unknown>, download = false) {
  const signed = signRendition({
    imageId: ITEM.imageId,
    query: canonicalQuery(parseRenditionSpec(input, LIMITS)),
    expires: renditionExpiry(NOW, 3600),
    key: signingKey(KEYS, NOW),
    share: { hash: HASH, ...(download && { download }) },
  });
  const [path = '', rawQuery = ''] = signed.split('?');
  return { path, rawQuery };
}

async function bodyOf(answer: Awaited<ReturnType<typeof answerRendition>>): Promise<Buffer> {
  const result = answer as RenditionResult;
  if (!('body' in result)) throw new Error('no body');
  return Buffer.isBuffer(result.body) ? result.body : Buffer.concat(await result.body.toArray());
}

describe("a share link's rendition URL", () => {
  it('names the photo by the link, not by its image id', () => {
    const { path } = sharedUrl({ w: 400 });
    expect(path).toMatch(/^\/[A-Za-z0-9_-]{22}$/);
    expect(path).not.toContain(ITEM.imageId.slice(0, 10));
  });

  it('carries no GPS, though the deployment keeps it in renditions (renditionsKeepGps)', async () => {
    const { deps } = setup();
    const body = await bodyOf(await answerRendition(sharedUrl({ w: 400, format: 'jpeg' }), KEEPING, deps));
    expect(body.length).toBeGreaterThan(0);
    expect(await locationIn(body)).toEqual([]);
  });

  it('answers a tag that names no image, and is cached briefly', async () => {
    const { deps } = setup();
    const answer = (await answerRendition(sharedUrl({ w: 400 }), KEEPING, deps)) as RenditionResult;
    expect(answer.etag).not.toContain(ITEM.imageId);
    expect(answer.shared).toBe(true);
  });

  it('is a 410 once the link is revoked or has expired, to a revalidation too', async () => {
    const { deps, change } = setup();
    const first = (await answerRendition(sharedUrl({ w: 400 }), CONFIG, deps)) as RenditionResult;
    change({ revokedAt: NOW.toISOString() });
    const url = sharedUrl({ w: 400 });
    expect((await refusal(answerRendition(url, CONFIG, deps))).statusCode).toBe(410);
    expect((await refusal(answerRendition({ ...url, ifNoneMatch: first.etag }, CONFIG, deps))).statusCode).toBe(410);
    change({ revokedAt: undefined, expiresAt: new Date(NOW.getTime() - 1000).toISOString() });
    expect((await refusal(answerRendition(url, CONFIG, deps))).statusCode).toBe(410);
  });

  it('is a 404 once the link is gone, or the photo was given to another owner', async () => {
    const { deps, change, reown } = setup();
    reown('someone-else');
    expect((await refusal(answerRendition(sharedUrl({ w: 400 }), CONFIG, deps))).statusCode).toBe(404);
    change(undefined);
    expect((await refusal(answerRendition(sharedUrl({ w: 400 }), CONFIG, deps))).statusCode).toBe(404);
  });

  it('is refused when its link or its path was changed', async () => {
    const { deps } = setup();
    const url = sharedUrl({ w: 400 });
    const otherLink = { ...url, rawQuery: url.rawQuery.replace(HASH, tokenHash('another')) };
    expect((await refusal(answerRendition(otherLink, CONFIG, deps))).statusCode).toBe(403);
    const unscoped = { ...url, rawQuery: url.rawQuery.replace(`&share=${HASH}`, '') };
    expect((await refusal(answerRendition(unscoped, CONFIG, deps))).statusCode).toBe(403);
    const imageIdPath = { ...url, path: `/${ITEM.imageId}` };
    expect((await refusal(answerRendition(imageIdPath, CONFIG, deps))).statusCode).toBe(403);
  });
});

describe("a share link's download URL", () => {
  it('redirects to the original presigned for 30 seconds, named by the link, while the link allows it', async () => {
    const { deps, presigned, change } = setup({ allowDownload: true });
    const url = sharedUrl({}, true);
    const answer = await answerRendition(url, CONFIG, deps);
    expect(answer).toEqual({ redirect: `https://bucket.s3/${ITEM.key}?X-Amz-Expires=${SHARED_DOWNLOAD_SECONDS}` });
    expect(presigned).toEqual([{ key: ITEM.key, seconds: 30, filename: `${url.path.slice(1)}.jpg` }]);
    change({ revokedAt: NOW.toISOString() });
    expect((await refusal(answerRendition(url, CONFIG, deps))).statusCode).toBe(410);
  });

  it('is a 403 where the link does not allow downloads', async () => {
    const { deps, presigned } = setup({ allowDownload: false });
    expect((await refusal(answerRendition(sharedUrl({}, true), CONFIG, deps))).statusCode).toBe(403);
    expect(presigned).toEqual([]);
  });
});
