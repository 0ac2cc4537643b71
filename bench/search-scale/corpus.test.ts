import { ImageItemSchema } from '../../lambdas/store/image-item';
import { distance, hashSet } from './bands';
import { EXACT_SHARE, HEAVY_SHARE, Library, NEAR_SHARE, planLibrary } from './corpus';

describe('the search-scale library', () => {
  it('makes the same images from the same seed, and other images from another', () => {
    const first = [...new Library(200, 7).images()].slice(0, 40).map((image) => image.final);
    const again = [...new Library(200, 7).images()].slice(0, 40).map((image) => image.final);
    const other = [...new Library(200, 8).images()].slice(0, 40).map((image) => image.final);
    expect(again).toEqual(first);
    expect(other.map((item) => item.imageId)).not.toEqual(first.map((item) => item.imageId));
  });

  it('makes records the store accepts, ids in upload order', () => {
    const images = [...new Library(300, 3).images()];
    for (const image of images) {
      expect(ImageItemSchema.safeParse(image.pending).success).toBe(true);
      expect(ImageItemSchema.safeParse(image.final).success).toBe(true);
    }
    const ids = images.map((image) => image.final.imageId);
    expect([...ids].sort()).toEqual(ids);
  });

  it('gives the heavy owner, near-duplicates and exact copies their shares', () => {
    const plan = planLibrary(20_000, 11);
    const share = (values: ArrayLike<number>, of: number) =>
      Array.prototype.filter.call(values, (value: number) => value === of).length / plan.images;
    expect(share(plan.owner, 0)).toBeCloseTo(HEAVY_SHARE, 1);
    expect(share(plan.kind, 1)).toBeCloseTo(NEAR_SHARE, 1);
    expect(share(plan.kind, 2)).toBeCloseTo(EXACT_SHARE, 1);
    for (let index = 0; index < plan.images; index++) {
      const of = plan.of[index] as number;
      if (of >= 0) {
        expect(of).toBeLessThan(index);
        expect(plan.owner[of]).toBe(plan.owner[index]);
      }
    }
  });

  it('copies the bytes of an exact copy and names the oldest image with them', () => {
    const library = new Library(1500, 5);
    const index = Array.from(library.plan.kind).indexOf(2);
    const copy = library.image(index);
    if (!copy.of) throw new Error('no exact copy in 1,500 images');
    const source = library.image(library.plan.of[copy.index] as number);
    expect(copy.final.sha256).toBe(source.final.sha256);
    expect(copy.content?.phash).toBe(source.content?.phash);
    expect(copy.final.duplicateOf).toBe(source.final.duplicateOf ?? source.final.imageId);
  });

  it('hashes near-duplicates closer to their original than unrelated images are', () => {
    const library = new Library(1000, 9);
    const images = [...library.images()];
    const hashes = images.map((image) => image.content?.phash ?? '0000000000000000');
    const set = hashSet(hashes);
    const near = images
      .filter((image) => image.kind === 'near')
      .map((image) => distance(set, image.index, library.plan.of[image.index] as number))
      .sort((a, b) => a - b);
    const unrelated = Array.from({ length: 500 }, (_, i) => distance(set, i, i + 1000)).sort((a, b) => a - b);
    expect(near[near.length >> 1]).toBeLessThanOrEqual(10);
    expect(unrelated[unrelated.length >> 1]).toBeGreaterThanOrEqual(24);
  });
});
