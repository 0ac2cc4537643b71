import { setLocked } from '../../../../../lambdas/images/functions/set-locked/set-locked';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { ADMIN_USER, TEST_USER } from '../../../../support/identities';
import { imageItem } from '../../../../support/items';

const owner = { owner: TEST_USER.sub, admin: false };

function deps(item: ImageItem) {
  const calls: string[] = [];
  const published: { detail: Record<string, unknown> }[] = [];
  let record = item;
  return {
    calls,
    published,
    deps: {
      store: {
        get: async () => record,
        setLocked: async (written: ImageItem) => {
          record = written;
          calls.push(`write locked=${written.locked}`);
          return true;
        },
      },
      cleanups: [
        {
          name: 'postings',
          trashed: async (image: ImageItem) => void calls.push(`out ${image.locked}`),
          restored: async (image: ImageItem) => void calls.push(`back ${image.locked}`),
        },
      ],
      publisher: { publish: async (event: { detail: Record<string, unknown> }) => void published.push(event) },
      now: () => new Date('2026-11-29T12:00:00.000Z'),
    },
  };
}

describe('locking a photo', () => {
  const photo = imageItem({ status: 'PROCESSED', tags: ['Diary'], metadata: { album: 'private' } });

  it('writes the lock, takes it out of the lists, and announces it without its content', async () => {
    const run = deps(photo);
    // biome-ignore lint/suspicious/noExplicitAny: the publisher's fake takes any event.
    expect(await setLocked(photo.imageId, { locked: true }, owner, run.deps as any)).toEqual({
      imageId: photo.imageId,
      locked: true,
    });
    expect(run.calls).toEqual(['write locked=true', 'out true']);
    const detail = run.published[0]?.detail ?? {};
    expect(detail).toMatchObject({ imageId: photo.imageId, owner: TEST_USER.sub, changed: ['locked'], locked: true });
    for (const content of ['tags', 'metadata', 'takenAt', 'crop', 'rotation']) expect(detail[content]).toBeUndefined();
  });

  it('lists it again when unlocked, and changes nothing when already as asked', async () => {
    const run = deps({ ...photo, locked: true });
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    await setLocked(photo.imageId, { locked: false }, owner, run.deps as any);
    expect(run.calls).toEqual(['write locked=false', 'back false']);
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    await setLocked(photo.imageId, { locked: false }, owner, run.deps as any);
    expect(run.calls).toHaveLength(2);
    expect(run.published).toHaveLength(1);
  });

  it('is 404 to anyone but its owner, an admin too', async () => {
    const run = deps(photo);
    const admin = { owner: ADMIN_USER.sub, admin: true };
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    await expect(setLocked(photo.imageId, { locked: true }, admin, run.deps as any)).rejects.toThrow(/not found/);
    expect(run.calls).toEqual([]);
  });

  it('is 409 until the photo is PROCESSED', async () => {
    const run = deps(imageItem({ status: 'PENDING' }));
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    await expect(setLocked(photo.imageId, { locked: true }, owner, run.deps as any)).rejects.toThrow(/PROCESSED/);
  });
});
