import type { AlbumStore } from '../../../lambdas/albums/album-store';
import { albumsCleanup } from '../../../lambdas/albums/cleanup';
import { postingsCleanup } from '../../../lambdas/search/cleanup';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { type PurgeImageDeps, purgeImage } from '../../../lambdas/trash/purge-image';
import { TEST_USER } from '../../support/api-events';
import { IDS, imageItem } from '../../support/items';

/** A store holding `item` until it is deleted, and a record of every step's order. */
function deps(item: ImageItem, albums: Pick<AlbumStore, 'removeImage'>, steps: string[]): PurgeImageDeps {
  let held: ImageItem | undefined = item;
  return {
    store: {
      get: async () => held,
      delete: async () => {
        steps.push('record');
        const last = held;
        held = undefined;
        return last;
      },
    },
    objects: { deleteObjects: async () => void steps.push('objects') },
    cleanups: [
      postingsCleanup({ remove: async () => void steps.push('postings'), upsert: async () => undefined }),
      albumsCleanup(albums),
    ],
    publisher: { publish: async () => void steps.push('event') },
  };
}

const caller = { owner: TEST_USER.sub, admin: false };

describe('an image deleted for good', () => {
  it('leaves its albums before its record goes', async () => {
    const steps: string[] = [];
    const left: string[] = [];
    const albums = {
      removeImage: async (imageId: string) => {
        left.push(imageId);
        steps.push('albums');
      },
    };
    await purgeImage(IDS.newer, caller, deps(imageItem(), albums, steps));
    expect(left).toEqual([IDS.newer]);
    expect(steps.indexOf('albums')).toBeLessThan(steps.indexOf('record'));
  });

  it('keeps its record when its albums cannot be left, so a retried purge finishes the job', async () => {
    const steps: string[] = [];
    const albums = { removeImage: async () => Promise.reject(new Error('albums table down')) };
    await expect(purgeImage(IDS.newer, caller, deps(imageItem(), albums, steps))).rejects.toThrow('albums table down');
    expect(steps).not.toContain('record');
  });
});
