import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { type SaveSharedDeps, saveShared } from '../../../lambdas/albums/functions/save-shared/save-shared';
import { SavedCopySchema } from '../../../lambdas/albums/functions/share-schemas';
import type { Album } from '../../../lambdas/albums/schemas';
import { hasGps } from '../../../lambdas/core/without-gps';
import { fromUpload } from '../../../lambdas/ingest/functions/processor/ownership';
import { sharedPhotoId } from '../../../lambdas/renditions/share-scope';
import { parseSigningKeySet } from '../../../lambdas/renditions/signing-keys';
import { newShareToken, shareIdOf, tokenHash } from '../../../lambdas/shares/secrets';
import type { ShareItem } from '../../../lambdas/shares/share';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { refusal } from '../../support/errors';
import { OTHER_USER, TEST_USER } from '../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../support/items';
import { SECRET_STRING } from '../renditions/functions/create-rendition/signing-support';
import { MemoryShares } from './fakes';

const NOW = new Date('2026-11-29T08:00:00.000Z');
const ALICE = TEST_USER.sub;
const BOB = { owner: OTHER_USER.sub, admin: false };
const ALBUM = 'al_0123456789abcdef0123';
const COPY = '01KBCOPY0000000000000000AA';
const LOCATED = readFileSync(join(__dirname, '../../fixtures/places/basel.jpg'));
const secret = parseSigningKeySet(SECRET_STRING).keys[0]?.secret as string;

function setup(images: ImageItem[], album?: Partial<Album> & { members?: string[] }) {
  const shares = new MemoryShares();
  const records = new Map(images.map((image) => [image.imageId, image]));
  const objects = new Map<string, Buffer>([['images-bucket/uploads/01JABCDEFGHJKMNPQRSTVWXYZ9.jpg', LOCATED]]);
  const calls: string[] = [];
  let ids = 0;
  const deps: SaveSharedDeps = {
    shares,
    images: {
      get: async (id) => records.get(id),
      createPending: async (item) => {
        if (records.has(item.imageId))
          throw Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
        records.set(item.imageId, item);
      },
    },
    albums: {
      get: async (albumId) =>
        album && albumId === ALBUM ? ({ albumId, owner: ALICE, kind: 'manual', ...album } as Album) : undefined,
      membersAmong: async (_albumId, ids) => new Set(ids.filter((id) => album?.members?.includes(id))),
    },
    keys: async () => parseSigningKeySet(SECRET_STRING),
    objects: {
      read: async (bucket, key) => {
        calls.push(`read ${bucket}/${key}`);
        const bytes = objects.get(`${bucket}/${key}`);
        return bytes ? { kind: 'object', bytes, etag: '"e"' } : { kind: 'missing' };
      },
      copy: async (from, to) => {
        calls.push(`copy ${from.bucket}/${from.key} ${to.bucket}/${to.key}`);
        objects.set(`${to.bucket}/${to.key}`, objects.get(`${from.bucket}/${from.key}`) as Buffer);
      },
      write: async (bucket, key, bytes) => {
        calls.push(`write ${bucket}/${key}`);
        objects.set(`${bucket}/${key}`, bytes);
      },
    },
    bucket: 'images-bucket',
    maxBytes: 10_000_000,
    now: () => NOW,
    newId: () => (ids++ === 0 ? COPY : `01KBCOPY00000000000000000${ids}`),
  };
  const link = async (fields: Partial<ShareItem> = {}) => {
    const token = newShareToken();
    await shares.create({
      hash: tokenHash(token),
      owner: ALICE,
      target: { kind: 'image', imageId: IDS.newer },
      title: 'Photo',
      createdAt: NOW.toISOString(),
      allowDownload: false,
      ...fields,
    });
    return { token, photo: (imageId: string = IDS.newer) => sharedPhotoId(imageId, tokenHash(token), secret) };
  };
  return { deps, shares, records, objects, calls, link };
}

const alicePhoto = (overrides: Partial<ImageItem> = {}) =>
  imageItem({
    imageId: IDS.newer,
    owner: ALICE,
    analysis: processedAnalysis({ width: 640, height: 480 }),
    position: { latitude: 47.56, longitude: 7.59 },
    ...overrides,
  });

describe('saving a shared photo into your library', () => {
  it("makes the caller's own PENDING copy, saying which link it came from and nothing of the other owner", async () => {
    const { deps, records, link } = setup([alicePhoto()]);
    const { token, photo } = await link();

    const saved = await saveShared(token, { photo: photo() }, BOB, deps);

    expect(SavedCopySchema.strict().parse(saved)).toEqual({ imageId: COPY, status: 'SAVING', position: 'removed' });
    const copy = records.get(COPY) as ImageItem;
    expect(copy).toMatchObject({
      imageId: COPY,
      status: 'PENDING',
      owner: BOB.owner,
      bucket: 'images-bucket',
      key: `uploads/${COPY}.jpg`,
      contentType: 'image/jpeg',
      savedFrom: { shareId: shareIdOf(tokenHash(token)), savedAt: NOW.toISOString(), position: 'removed' },
    });
    const text = JSON.stringify(copy);
    expect(text).not.toContain(ALICE);
    expect(text).not.toContain(IDS.newer);
    expect(text).not.toContain('pier.jpg');
    expect(copy.position).toBeUndefined();
  });

  it("empties the GPS from the copy's bytes when the link shows renditions only; the original keeps it", async () => {
    const { deps, objects, calls, link } = setup([alicePhoto()]);
    const { token, photo } = await link({ allowDownload: false });

    await saveShared(token, { photo: photo() }, BOB, deps);

    expect(calls).toEqual([`read images-bucket/uploads/${IDS.newer}.jpg`, `write images-bucket/uploads/${COPY}.jpg`]);
    const copy = objects.get(`images-bucket/uploads/${COPY}.jpg`) as Buffer;
    expect(hasGps((await sharp(copy).metadata()).exif)).toBe(false);
    expect(copy.length).toBe(LOCATED.length);
    expect(hasGps((await sharp(objects.get(`images-bucket/uploads/${IDS.newer}.jpg`)).metadata()).exif)).toBe(true);
  });

  it('copies the original within S3, position and all, when the link hands out the original', async () => {
    const { deps, objects, calls, link } = setup([alicePhoto()]);
    const { token, photo } = await link({ allowDownload: true });

    const saved = await saveShared(token, { photo: photo() }, BOB, deps);

    expect(saved.position).toBe('kept');
    expect(calls).toEqual([`copy images-bucket/uploads/${IDS.newer}.jpg images-bucket/uploads/${COPY}.jpg`]);
    expect(objects.get(`images-bucket/uploads/${COPY}.jpg`)?.equals(LOCATED)).toBe(true);
  });

  it('answers the same copy to a replayed save, and makes no second one', async () => {
    const { deps, records, calls, link } = setup([alicePhoto()]);
    const { token, photo } = await link();
    await saveShared(token, { photo: photo() }, BOB, deps);
    records.set(COPY, { ...(records.get(COPY) as ImageItem), status: 'PROCESSED' });
    const before = calls.length;

    const again = await saveShared(token, { photo: photo() }, BOB, deps);

    expect(again).toEqual({ imageId: COPY, status: 'SAVED', position: 'removed' });
    expect(calls.length).toBe(before);
    expect([...records.keys()].filter((id) => id !== IDS.newer)).toEqual([COPY]);
  });

  it('completes a save that stopped before storing its bytes, under the same id', async () => {
    const { deps, objects, link } = setup([alicePhoto()]);
    const { token, photo } = await link();
    const write = deps.objects.write;
    deps.objects.write = async () => {
      throw new Error('S3 is down');
    };
    await expect(saveShared(token, { photo: photo() }, BOB, deps)).rejects.toThrow('S3 is down');
    deps.objects.write = write;

    const retried = await saveShared(token, { photo: photo() }, BOB, deps);

    expect(retried).toEqual({ imageId: COPY, status: 'SAVING', position: 'removed' });
    expect(objects.has(`images-bucket/uploads/${COPY}.jpg`)).toBe(true);
  });

  it('refuses a revoked link (410) and an unknown one (404)', async () => {
    const { deps, link } = setup([alicePhoto()]);
    const { token, photo } = await link({ revokedAt: NOW.toISOString() });
    expect((await refusal(saveShared(token, { photo: photo() }, BOB, deps))).statusCode).toBe(410);
    expect((await refusal(saveShared(newShareToken(), { photo: photo() }, BOB, deps))).statusCode).toBe(404);
  });

  it("refuses a photo the link does not show: another image, another link's id, a locked or trashed one", async () => {
    const other = alicePhoto({ imageId: IDS.older });
    const { deps, records, link } = setup([alicePhoto(), other]);
    const { token, photo } = await link();
    const { photo: othersId } = await link();
    for (const asked of [photo(IDS.older), othersId(), 'not-a-photo-id']) {
      expect((await refusal(saveShared(token, { photo: asked }, BOB, deps))).statusCode).toBe(404);
    }
    for (const hidden of [{ locked: true }, { status: 'TRASHED' as const }]) {
      records.set(IDS.newer, alicePhoto(hidden));
      expect((await refusal(saveShared(token, { photo: photo() }, BOB, deps))).statusCode).toBe(404);
    }
  });

  it('saves a photo an album link shows, and refuses one no longer in the album', async () => {
    const { deps, link } = setup([alicePhoto(), alicePhoto({ imageId: IDS.older })], { members: [IDS.newer] });
    const { token, photo } = await link({ target: { kind: 'album', albumId: ALBUM }, title: 'Summer' });

    expect((await saveShared(token, { photo: photo(IDS.newer) }, BOB, deps)).status).toBe('SAVING');
    expect((await refusal(saveShared(token, { photo: photo(IDS.older) }, BOB, deps))).statusCode).toBe(404);
  });

  it('asks a protected link for its password', async () => {
    const { deps, link } = setup([alicePhoto()]);
    const { hashPassword } = await import('../../../lambdas/shares/secrets');
    const { token, photo } = await link({ passwordHash: await hashPassword('open sesame') });
    expect((await refusal(saveShared(token, { photo: photo() }, BOB, deps))).statusCode).toBe(401);
    const saved = await saveShared(token, { photo: photo(), password: 'open sesame' }, BOB, deps);
    expect(saved.status).toBe('SAVING');
  });

  it("refuses the link owner's own photo: it is in their library already", async () => {
    const { deps, link } = setup([alicePhoto()]);
    const { token, photo } = await link();
    const error = await refusal(saveShared(token, { photo: photo() }, { owner: ALICE, admin: false }, deps));
    expect(error.statusCode).toBe(409);
  });

  it('is a copy still once the processor has analysed it: its run carries savedFrom over, as the owner', async () => {
    const { deps, records, link } = setup([alicePhoto()]);
    const { token, photo } = await link();
    await saveShared(token, { photo: photo() }, BOB, deps);
    const pending = records.get(COPY) as ImageItem;

    expect(fromUpload(pending)).toMatchObject({ owner: BOB.owner, savedFrom: pending.savedFrom });
  });
});
