import type { SourceObjectMessage } from '../../../../../lambdas/backfill/source-object';
import {
  SourceObjectMessageSchema,
  sourceImageId,
  toSourceObject,
} from '../../../../../lambdas/backfill/source-object';
import {
  type ReownImageDeps,
  reownImage,
  reownMessage,
} from '../../../../../lambdas/images/functions/reown-image/reown-image';
import { ReownRequestSchema } from '../../../../../lambdas/images/functions/reown-image/route';
import { parseDeploymentSettings } from '../../../../../lambdas/settings';
import type { ImageItem } from '../../../../../lambdas/store/image-item';

const ADMIN = { owner: 'root', admin: true };
const SOURCES = parseDeploymentSettings({ sourceBuckets: 'old-photos,archive/2019/=alice' }).sourceBuckets;
const MODIFIED = new Date('2019-08-01T10:11:12.000Z');
const UPLOADED = '01JD5Y4ZQK8V3N2M1B0C9X8W7V';

function image(fields: Partial<ImageItem>): ImageItem {
  return {
    imageId: UPLOADED,
    entity: 'IMAGE',
    status: 'PROCESSED',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    bucket: 'images-bucket',
    key: `uploads/${UPLOADED}.jpg`,
    owner: 'alice',
    size: 1234,
    etag: '"abc"',
    ...fields,
  };
}

/** A backfilled image of `old-photos` (an entry naming no owner), recorded with `owner`. */
function backfilled(key: string, owner?: string, bucket = 'old-photos'): ImageItem {
  return image({
    imageId: sourceImageId(bucket, key, MODIFIED),
    sourceBucket: bucket,
    key,
    owner,
  });
}

function depsWith(...items: ImageItem[]) {
  const sent: SourceObjectMessage[] = [];
  const deps: ReownImageDeps = {
    store: { get: async (id: string) => items.find((item) => item.imageId === id) },
    queue: { send: async (message) => void sent.push(message) },
    sources: SOURCES,
  };
  return { deps, sent };
}

describe('reownImage', () => {
  it("sends an upload to the processor under the new owner, as a backfill's reown would, and answers MOVING", async () => {
    const { deps, sent } = depsWith(image({}));
    await expect(reownImage(UPLOADED, { owner: 'bob' }, ADMIN, deps)).resolves.toEqual({
      imageId: UPLOADED,
      owner: 'bob',
      previousOwner: 'alice',
      status: 'MOVING',
    });
    expect(sent).toHaveLength(1);
    const source = toSourceObject(SourceObjectMessageSchema.parse(sent[0]));
    expect(source).toMatchObject({
      bucket: 'images-bucket',
      key: `uploads/${UPLOADED}.jpg`,
      owner: 'bob',
      reown: true,
    });
    expect(source).toMatchObject({ reprocess: false, regroupFaces: false, run: undefined });
  });

  it('gives an image with no owner one, and its message leads the processor back to the same image id', async () => {
    const item = backfilled('2019/kite.jpg');
    const { deps, sent } = depsWith(item);
    expect(await reownImage(item.imageId, { owner: 'local' }, ADMIN, deps)).toMatchObject({
      previousOwner: null,
      status: 'MOVING',
    });
    const source = toSourceObject(SourceObjectMessageSchema.parse(sent[0]));
    if (typeof source === 'string') throw new Error(source);
    expect(sourceImageId(source.bucket, source.key, source.lastModified)).toBe(item.imageId);
    expect(source).toMatchObject({ bucket: 'old-photos', owner: 'local', reown: true, size: 1234 });
  });

  it("answers UNCHANGED and sends nothing when the image is the owner's already (a retried request)", async () => {
    const { deps, sent } = depsWith(image({}));
    expect(await reownImage(UPLOADED, { owner: 'alice' }, ADMIN, deps)).toMatchObject({ status: 'UNCHANGED' });
    expect(sent).toEqual([]);
  });

  it('refuses anyone but an admin with 403, an unknown image with 404, and sends nothing', async () => {
    const { deps, sent } = depsWith(image({}));
    await expect(reownImage(UPLOADED, { owner: 'bob' }, { owner: 'alice', admin: false }, deps)).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(reownImage('01JD5Y4ZQK8V3N2M1B0C9X8W7W', { owner: 'bob' }, ADMIN, deps)).rejects.toMatchObject({
      statusCode: 404,
      message: 'image 01JD5Y4ZQK8V3N2M1B0C9X8W7W not found',
    });
    expect(sent).toEqual([]);
  });

  it('refuses with 409 an image whose sourceBuckets entry names another owner, naming the entry', async () => {
    const item = backfilled('2019/a.jpg', 'alice', 'archive');
    const { deps, sent } = depsWith(item);
    await expect(reownImage(item.imageId, { owner: 'bob' }, ADMIN, deps)).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/archive\/2019\/ belong to alice \(sourceBuckets archive\/2019\/=alice\)/),
    });
    expect(sent).toEqual([]);
  });

  it('refuses with 409 a PENDING upload, an image no entry covers now, and one whose id no message leads to', async () => {
    const pending = image({ status: 'PENDING' });
    const gone = backfilled('x.jpg', 'alice', 'retired-bucket');
    // Put under uploads/ without an upload URL: its id came from an event's time.
    const unnamed = image({ imageId: '01JD5Y4ZQK8V3N2M1B0C9X8W7X', key: 'uploads/dropped-by-hand.jpg' });
    const { deps, sent } = depsWith(pending, gone, unnamed);
    await expect(reownImage(pending.imageId, { owner: 'bob' }, ADMIN, deps)).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/PENDING/),
    });
    await expect(reownImage(gone.imageId, { owner: 'bob' }, ADMIN, deps)).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/no sourceBuckets entry covers now/),
    });
    await expect(reownImage(unnamed.imageId, { owner: 'bob' }, ADMIN, deps)).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/cannot be moved/),
    });
    expect(sent).toEqual([]);
  });
});

describe('ReownRequestSchema', () => {
  it('takes an owner id and nothing else', () => {
    expect(ReownRequestSchema.parse({ owner: 'a1b2c3d4-0000-4000-8000-000000000000' })).toEqual({
      owner: 'a1b2c3d4-0000-4000-8000-000000000000',
    });
    for (const body of [{}, { owner: 'has#hash' }, { owner: '' }, { owner: 'bob', extra: 1 }, 'bob']) {
      expect(ReownRequestSchema.safeParse(body).success).toBe(false);
    }
  });
});

describe('reownMessage', () => {
  it('gives a record that failed before its object was read (no size) a size no placeholder has', () => {
    const message = reownMessage(image({ status: 'FAILED', size: undefined }), 'bob');
    expect(message.object.Size).toBe(1);
    expect(SourceObjectMessageSchema.safeParse(message).success).toBe(true);
  });
});
