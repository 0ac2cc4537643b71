import type { ImageEvent } from '../../../lambdas/manifest/events';
import { postingsCleanup } from '../../../lambdas/search/cleanup';
import type { ImageItem } from '../../../lambdas/store/image-item';
import type { TrashMove } from '../../../lambdas/store/image-trash';
import { restoreImage, type TrashDeps, trashImage } from '../../../lambdas/trash/trash-image';
import { ADMIN_USER, OTHER_USER, TEST_USER } from '../../support/identities';
import { IDS, imageItem } from '../../support/items';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const me = { owner: TEST_USER.sub, admin: false };
const stranger = { owner: OTHER_USER.sub, admin: false };

/**
 * The trash's writes in memory, as ImageTrash makes them: conditional on the record being as read, and refusing a
 * restore once a purge began. `raceOnce` makes the next write find the record changed (a processing run wrote it).
 */
class MemoryTrash {
  records = new Map<string, ImageItem>();
  raceOnce = false;
  get = async (imageId: string) => this.records.get(imageId);
  private changed(item: ImageItem): boolean {
    const now = this.records.get(item.imageId);
    if (this.raceOnce) {
      this.raceOnce = false;
      if (now) this.records.set(item.imageId, { ...now, updatedAt: '2026-03-01T09:59:59.000Z' });
      return true;
    }
    return !now || now.updatedAt !== item.updatedAt || now.status !== item.status || now.purging === true;
  }
  trash = async (item: ImageItem, move: TrashMove) => {
    if (this.changed(item)) return undefined;
    const trashed: ImageItem = {
      ...item,
      status: 'TRASHED',
      trashedFrom: item.status === 'TRASHED' ? undefined : item.status,
      trashedAt: move.at,
      purgeAt: move.purgeAt,
      updatedAt: move.at,
    };
    this.records.set(item.imageId, trashed);
    return trashed;
  };
  restore = async (item: ImageItem, at: string) => {
    if (this.changed(item) || !item.trashedFrom) return undefined;
    const { trashedFrom, trashedAt: _at, purgeAt: _purge, ...kept } = item;
    const restored: ImageItem = { ...kept, status: trashedFrom, updatedAt: at };
    this.records.set(item.imageId, restored);
    return restored;
  };
}

function setUp(item: ImageItem = imageItem()) {
  const trash = new MemoryTrash();
  trash.records.set(item.imageId, item);
  const calls: string[] = [];
  const published: ImageEvent[] = [];
  const deps: TrashDeps = {
    store: { get: trash.get },
    trash,
    cleanups: [
      postingsCleanup({
        remove: async (removed) => void calls.push(`remove ${removed.imageId} ${removed.status}`),
        upsert: async (upserted) => void calls.push(`upsert ${upserted.imageId} ${upserted.status}`),
      }),
    ],
    publisher: { publish: async (event) => void published.push(event as ImageEvent) },
    trashDays: 30,
    now: () => NOW,
  };
  return { trash, calls, published, deps };
}

describe('moving an image to the trash', () => {
  it('writes it TRASHED with the status it had and a purge date trashDays ahead, then removes its postings', async () => {
    const { trash, calls, deps } = setUp();
    const trashed = await trashImage(IDS.newer, me, deps);
    expect(trashed).toMatchObject({
      status: 'TRASHED',
      trashedFrom: 'PROCESSED',
      trashedAt: NOW.toISOString(),
      purgeAt: '2026-03-31T10:00:00.000Z',
    });
    expect(trash.records.get(IDS.newer)?.status).toBe('TRASHED');
    expect(calls).toEqual([`remove ${IDS.newer} TRASHED`]);
  });

  it('publishes Image Trashed with the purge date and the status a restore puts back', async () => {
    const { published, deps } = setUp();
    await trashImage(IDS.newer, me, deps);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      detailType: 'Image Trashed',
      detail: { imageId: IDS.newer, status: 'TRASHED', trashedFrom: 'PROCESSED', purgeAt: '2026-03-31T10:00:00.000Z' },
    });
  });

  it("is a 404 for another owner's image, which stays as it was", async () => {
    const { trash, published, deps } = setUp();
    await expect(trashImage(IDS.newer, stranger, deps)).rejects.toMatchObject({ statusCode: 404 });
    expect(trash.records.get(IDS.newer)?.status).toBe('PROCESSED');
    expect(published).toEqual([]);
  });

  it("moves any owner's image for an admin", async () => {
    const { deps } = setUp();
    const trashed = await trashImage(IDS.newer, { owner: ADMIN_USER.sub, admin: true }, deps);
    expect(trashed.status).toBe('TRASHED');
  });

  it('reads again and moves it when a processing run wrote the record in between', async () => {
    const { trash, deps } = setUp();
    trash.raceOnce = true;
    const trashed = await trashImage(IDS.newer, me, deps);
    expect(trashed.status).toBe('TRASHED');
  });

  it('answers an image already in the trash as it is, removing its postings again and publishing nothing', async () => {
    const { calls, published, deps } = setUp(
      imageItem({ status: 'TRASHED', trashedFrom: 'PROCESSED', purgeAt: '2026-03-05T00:00:00.000Z' }),
    );
    const again = await trashImage(IDS.newer, me, deps);
    expect(again.purgeAt).toBe('2026-03-05T00:00:00.000Z');
    expect(calls).toEqual([`remove ${IDS.newer} TRASHED`]);
    expect(published).toEqual([]);
  });
});

describe('restoring an image from the trash', () => {
  async function trashed() {
    const set = setUp();
    await trashImage(IDS.newer, me, set.deps);
    set.calls.length = 0;
    set.published.length = 0;
    return set;
  }

  it('puts its postings back as the status it had, before writing it back, then publishes Image Restored', async () => {
    const { trash, calls, published, deps } = await trashed();
    const restored = await restoreImage(IDS.newer, me, deps);
    expect(restored.status).toBe('PROCESSED');
    expect(trash.records.get(IDS.newer)).not.toHaveProperty('trashedFrom');
    expect(calls).toEqual([`upsert ${IDS.newer} PROCESSED`]);
    expect(published.map((event) => [event.detailType, event.detail])).toEqual([
      ['Image Restored', expect.objectContaining({ imageId: IDS.newer, status: 'PROCESSED' })],
    ]);
  });

  it('is a 409 for an image that is not in the trash', async () => {
    const { deps } = setUp();
    await expect(restoreImage(IDS.newer, me, deps)).rejects.toMatchObject({ statusCode: 409 });
  });

  it('is a 409 once the purge has begun, and puts no postings back', async () => {
    const { trash, calls, deps } = await trashed();
    const record = trash.records.get(IDS.newer) as ImageItem;
    trash.records.set(IDS.newer, { ...record, purging: true });
    await expect(restoreImage(IDS.newer, me, deps)).rejects.toThrow(/being deleted for good/);
    expect(calls).toEqual([]);
  });

  it("is a 404 for another owner's image, which stays in the trash", async () => {
    const { trash, deps } = await trashed();
    await expect(restoreImage(IDS.newer, stranger, deps)).rejects.toMatchObject({ statusCode: 404 });
    expect(trash.records.get(IDS.newer)?.status).toBe('TRASHED');
  });
});
