import { FavouriteChangeSchema } from '../../../../../lambdas/images/functions/set-favourite/route';
import { setFavourite } from '../../../../../lambdas/images/functions/set-favourite/set-favourite';
import { postingOf } from '../../../../../lambdas/search/postings';
import { termsOf } from '../../../../../lambdas/search/terms';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { TILE_ATTRIBUTE_PATHS, tileOf } from '../../../../../lambdas/store/image-view';
import { TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';
import { editWorld } from '../edit-world';

const caller = { owner: TEST_USER.sub, admin: false };
const indexed = (overrides: Partial<ImageItem> = {}) => {
  const item = imageItem({ analysis: processedAnalysis({ width: 4, height: 3 }), ...overrides });
  return { ...item, indexedTerms: termsOf(item).terms };
};

describe('favourites (PUT /images/{id}/favourite)', () => {
  it('marks an image a favourite, posts it under favourite=true and announces Image Updated', async () => {
    const { deps, calls } = editWorld(indexed());
    expect(await setFavourite(IDS.newer, { favourite: true }, caller, deps)).toEqual({
      imageId: IDS.newer,
      favourite: true,
    });
    expect(calls.written[0]?.favourite).toBe(true);
    expect(calls.put[0]).toContain('favourite=true');
    expect(calls.events[0]?.detail).toMatchObject({ changed: ['favourite'], favourite: true });
  });

  it('unmarks one as false, its favourite=true posting removed', async () => {
    const { deps, calls } = editWorld(indexed({ favourite: true }));
    await setFavourite(IDS.newer, { favourite: false }, caller, deps);
    expect(calls.written[0]?.favourite).toBe(false);
    expect(calls.put[0]).not.toContain('favourite=true');
    expect(calls.removed[0]).toEqual(['favourite=true']);
  });

  it('writes and publishes nothing when the image is already as asked', async () => {
    const { deps, calls } = editWorld(indexed());
    expect(await setFavourite(IDS.newer, { favourite: false }, caller, deps)).toEqual({
      imageId: IDS.newer,
      favourite: false,
    });
    expect([calls.written, calls.events]).toEqual([[], []]);
  });

  it('gives a favourite’s tile a star in a search’s postings and a list page’s tiles, and no other tile one', async () => {
    const { deps, calls } = editWorld(indexed());
    await setFavourite(IDS.newer, { favourite: true }, caller, deps);
    expect(postingOf(calls.written[0] as ImageItem).summary?.favourite).toBe(true);
    expect(TILE_ATTRIBUTE_PATHS).toContainEqual(['favourite']);
    expect(tileOf({ favourite: false })).not.toHaveProperty('favourite');
    expect(postingOf(indexed()).summary).not.toHaveProperty('favourite');
  });

  it('is a 409 until the image is PROCESSED', async () => {
    const { deps } = editWorld(imageItem({ status: 'FAILED' }));
    await expect(setFavourite(IDS.newer, { favourite: true }, caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it('takes only {favourite: true | false}', () => {
    expect(FavouriteChangeSchema.safeParse({ favourite: 'yes' }).success).toBe(false);
    expect(FavouriteChangeSchema.safeParse({}).success).toBe(false);
    expect(FavouriteChangeSchema.parse({ favourite: false })).toEqual({ favourite: false });
  });
});
