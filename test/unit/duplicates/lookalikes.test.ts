import { WINDOW_NAMES, type WindowHashes } from '../../../lambdas/core/analysis/windows';
import { type ClusterDeps, type Lookalike, nearPhotos } from '../../../lambdas/duplicates/clusters';
import type { DuplicatePhoto } from '../../../lambdas/duplicates/duplicate-store';
import {
  EMBEDDING_NEAR_DISTANCE,
  EMBEDDING_TOP_K,
  LOOSE_NEAR_DISTANCE,
  NEAR_DISTANCE,
  postedBands,
} from '../../../lambdas/duplicates/near';
import { lookalikesIn, lookalikesOf, type NearDuplicatesDeps } from '../../../lambdas/duplicates/steps/near-duplicates';
import type { ImageVector } from '../../../lambdas/search/steps/embed';

/*
 * The second signal (search by meaning on): a lookalike by the embedding is near only when its hashes are within the
 * looser bound too, so a burst the model calls near stays apart; what the index answers is asked once, without the
 * photo itself. The store is faked here (its band values as postedBands posts them); clusters on moto are
 * test/integration/duplicates/lookalikes.test.ts's.
 */

/** Seven window hashes of one picture, each `flip` bits away from the base (the low bits, one band). */
function hashes(flip = 0): WindowHashes {
  const base = 0x0123456789abcdefn ^ ((1n << BigInt(flip)) - 1n);
  return Object.fromEntries(
    WINDOW_NAMES.map((window, i) => [window, (base ^ (BigInt(i) << 40n)).toString(16).padStart(16, '0')]),
  ) as WindowHashes;
}

const facts = { imageId: '', width: 10, height: 10, bytes: 10, metadataCount: 0 };

/** A store holding these photos: their band values as posted, their items by id. */
function storeOf(photos: DuplicatePhoto[]): Pick<ClusterDeps, 'store'> & { read: string[][] } {
  const read: string[][] = [];
  const store = {
    probe: async (owner: string, keys: readonly string[]) => {
      const wanted = new Set(keys);
      return photos
        .filter((photo) => photo.owner === owner)
        .flatMap((photo) =>
          [...postedBands(photo.hashes)].flatMap(([key, windows]) =>
            wanted.has(key)
              ? windows.map((window) => ({ imageId: photo.imageId, window, hash: photo.hashes[window] }))
              : [],
          ),
        );
    },
    getPhotos: async (ids: readonly string[]) => {
      read.push([...ids]);
      return photos.filter((photo) => ids.includes(photo.imageId));
    },
  };
  return { store: store as unknown as ClusterDeps['store'], read };
}

const photo = (imageId: string, flip: number, owner = 'ada'): DuplicatePhoto => ({
  imageId,
  owner,
  hashes: hashes(flip),
  facts,
});

describe('near photos with the second signal', () => {
  const me = hashes(0);

  it('finds by the hashes alone without lookalikes, as before', async () => {
    const { store } = storeOf([photo('copy', 3), photo('burst', 11)]);
    const near = await nearPhotos('ada', 'me', me, { store });
    expect(near).toEqual([{ imageId: 'copy', distance: 3, by: 'hashes' }]);
  });

  it('adds a lookalike within the cosine threshold whose hashes are within the looser bound, after the hashes', async () => {
    expect(NEAR_DISTANCE).toBeLessThan(11);
    expect(LOOSE_NEAR_DISTANCE).toBeGreaterThanOrEqual(11);
    const { store } = storeOf([photo('copy', 3), photo('crop', 11)]);
    const alike: Lookalike[] = [
      { imageId: 'copy', distance: 0.01 },
      { imageId: 'crop', distance: EMBEDDING_NEAR_DISTANCE },
    ];
    const near = await nearPhotos('ada', 'me', me, { store }, async () => alike);
    expect(near).toEqual([
      { imageId: 'copy', distance: 3, by: 'hashes' },
      { imageId: 'crop', distance: 11, by: 'embedding' },
    ]);
  });

  it('keeps apart a lookalike whose hashes are past the looser bound (a burst), or past the cosine threshold', async () => {
    const { store, read } = storeOf([photo('burst', LOOSE_NEAR_DISTANCE + 1), photo('far', 10)]);
    const alike: Lookalike[] = [
      { imageId: 'burst', distance: 0.02 },
      { imageId: 'far', distance: EMBEDDING_NEAR_DISTANCE + 0.01 },
    ];
    expect(await nearPhotos('ada', 'me', me, { store }, async () => alike)).toEqual([]);
    // The one past the cosine threshold is not even read.
    expect(read).toEqual([['burst']]);
  });

  it('never counts itself, another owner, or a lookalike with no hashes stored', async () => {
    const { store, read } = storeOf([photo('me', 0), photo('bob', 10, 'bob')]);
    const alike: Lookalike[] = [
      { imageId: 'me', distance: 0 },
      { imageId: 'bob', distance: 0.01 },
      { imageId: 'flat', distance: 0.01 },
    ];
    expect(await nearPhotos('ada', 'me', me, { store }, async () => alike)).toEqual([]);
    expect(read).toEqual([['bob', 'flat']]);
  });
});

describe("the step's lookalikes", () => {
  const vector: ImageVector = { values: [1, 0, 0], space: { model: 'm', dimension: 3 } };

  it('asks the index once for one more than EMBEDDING_TOP_K of the owner, with no filter but theirs, and drops itself', async () => {
    const query = jest.fn(async () =>
      ['me', 'a', 'b', 'c', 'd', 'e'].map((imageId, i) => ({ imageId, distance: i / 100 })),
    );
    const deps: NearDuplicatesDeps = { lookalikes: lookalikesIn({ query }) };
    const hits = await lookalikesOf(deps, 'me', 'ada', vector);
    expect(hits.map((hit) => hit.imageId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(query).toHaveBeenCalledTimes(1);
    const [owner, values, space, filters, options] = query.mock.calls[0] as unknown as unknown[];
    expect([owner, values, space, options]).toEqual(['ada', [1, 0, 0], vector.space, { topK: EMBEDDING_TOP_K + 1 }]);
    // Every filter empty: the index pins the owner, the model and the dimension (vector-index.ts filterOf).
    expect(Object.values(filters as object).every((value) => Array.isArray(value) && value.length === 0)).toBe(true);
  });

  it('clusters by the hashes alone on a failed query, noted: a retry of the message would not come back here', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const onNote = jest.fn();
    const deps = { lookalikes: jest.fn().mockRejectedValue(throttled), onNote };
    expect(await lookalikesOf(deps, 'me', 'ada', vector)).toEqual([]);
    expect(onNote).toHaveBeenCalledWith(
      'near-duplicate lookalikes not read; clustered by the hashes alone',
      expect.objectContaining({ code: 'ThrottlingException' }),
    );
  });
});
