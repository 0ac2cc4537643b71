import { bandRadii, neighbours } from '../../../../../lambdas/core/analysis/phash-bands';
import type { SimilarQuery } from '../../../../../lambdas/search/functions/similar-images/route';
import { hamming, similarImages } from '../../../../../lambdas/search/functions/similar-images/similar-images';
import type { Posting } from '../../../../../lambdas/search/postings-design';
import { termsOf } from '../../../../../lambdas/search/terms';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { OTHER_USER, TEST_USER } from '../../../../support/identities';
import { imageIds, imageItem } from '../../../../support/items';

const caller = { owner: TEST_USER.sub, admin: false };
const query: SimilarQuery = { maxDistance: 10, limit: 20 };

/** A processed image with these hashes, and the postings the processor would have written for it. */
function processed(imageId: string, phash: string, sha256 = imageId.toLowerCase().padEnd(64, '0').slice(0, 64)) {
  const item = imageItem({
    imageId,
    analysis: {
      status: 'PROCESSED',
      size: 1,
      analysisVersion: '1.0.0',
      durationMs: 1,
      metadata: {
        format: 'jpeg',
        width: 2,
        height: 2,
        aspectRatio: 1,
        orientation: 'square',
        hasAlpha: false,
        colorSpace: 'srgb',
        bitDepth: 8,
        isAnimated: false,
        pages: 1,
      },
      hashes: { sha256: sha256.replace(/[^0-9a-f]/g, 'a'), phash },
      palette: [{ hex: '#000000', rgb: { r: 0, g: 0, b: 0 }, proportion: 1 }],
      dominantColor: { r: 0, g: 0, b: 0, hex: '#000000' },
      brightness: { value: 0, class: 'dark' },
      thumbnails: [],
    },
  });
  return item;
}

/** The store and index as DynamoDB would answer them for these images, counting the postings read. */
function world(items: ImageItem[]) {
  const postings = new Map<string, Posting[]>();
  for (const item of items) {
    const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
    for (const term of termsOf(item).terms) {
      const key = `${item.owner}#${term}`;
      postings.set(key, [
        ...(postings.get(key) ?? []),
        {
          term: key,
          imageId: item.imageId,
          facets: [],
          phash: analysis?.hashes.phash,
          sha256: analysis?.hashes.sha256,
        },
      ]);
    }
  }
  const reads = { queries: 0, items: 0 };
  return {
    reads,
    deps: {
      store: { get: async (id: string) => items.find((item) => item.imageId === id) },
      index: {
        postings: async (owner: string, term: string, limit: number) => {
          reads.queries++;
          const found = (postings.get(`${owner}#${term}`) ?? []).slice(0, limit);
          reads.items += found.length;
          return found;
        },
      },
    },
  };
}

const flip = (phash: string, bits: number[]) => {
  let value = BigInt(`0x${phash}`);
  for (const bit of bits) value ^= 1n << BigInt(bit);
  return value.toString(16).padStart(16, '0');
};

describe('similar images', () => {
  const [me, copy, near, far, edge, beyond] = imageIds(6);
  const phash = 'a0793e9f5c48c72c';

  it('finds exact copies first, then near ones by distance, never the image itself or those too far', async () => {
    const items = [
      processed(me as string, phash, 'c'.repeat(64)),
      processed(copy as string, phash, 'c'.repeat(64)),
      processed(near as string, flip(phash, [1, 20, 40])),
      processed(edge as string, flip(phash, [0, 1, 2, 17, 18, 33, 34, 49, 50, 63])),
      processed(beyond as string, flip(phash, [0, 1, 2, 3, 17, 18, 33, 34, 49, 50, 63])),
      processed(far as string, 'ffffffffffffffff'),
    ];
    const page = await similarImages(me as string, query, caller, world(items).deps);
    expect(page.items).toEqual([
      { imageId: copy, distance: 0, duplicate: true },
      { imageId: near, distance: 3, duplicate: false },
      { imageId: edge, distance: 10, duplicate: false },
    ]);
  });

  it('finds every hash within the distance, wherever its differing bits fall (multi-index hashing)', async () => {
    // 10 differing bits spread 3, 3, 2, 2 over the bands: only the bands with 2 are probed close enough.
    const spread = flip(phash, [0, 5, 9, 16, 21, 30, 32, 40, 48, 60]);
    const items = [processed(me as string, phash), processed(near as string, spread)];
    const page = await similarImages(me as string, query, caller, world(items).deps);
    expect(page.items).toEqual([{ imageId: near, distance: 10, duplicate: false }]);
  });

  it('finds a hash whose only close band is the one probed least far', async () => {
    // 10 bits spread 3, 3, 3, 1 over bands 0-3 (band 0 holds the top 16 bits): only band 3, probed within 1 bit,
    // catches it.
    const spread = flip(phash, [50, 55, 60, 32, 40, 47, 16, 21, 30, 5]);
    const items = [processed(me as string, phash), processed(near as string, spread)];
    const page = await similarImages(me as string, query, caller, world(items).deps);
    expect(page.items).toEqual([{ imageId: near, distance: 10, duplicate: false }]);
  });

  it('probes each band as far as the generalised pigeonhole principle needs, no further', () => {
    expect(bandRadii(10)).toEqual([2, 2, 2, 1]);
    expect(bandRadii(11)).toEqual([2, 2, 2, 2]);
    expect(bandRadii(6)).toEqual([1, 1, 1, 0]);
    expect(bandRadii(3)).toEqual([0, 0, 0, 0]);
    expect(bandRadii(0)).toEqual([0, 0, 0, 0]);
    // Exhaustively: every way to spread d differing bits over the 4 bands leaves one band within its radius.
    for (let d = 0; d <= 11; d++) {
      const radii = bandRadii(d);
      for (const spread of spreads(d, 4)) expect(spread.some((bits, b) => bits <= (radii[b] as number))).toBe(true);
    }
  });

  it("reads a fixed number of band values, whatever the size of the owner's collection", async () => {
    const many = imageIds(2000, Date.UTC(2024, 0, 1)).map((id, i) =>
      processed(
        id,
        BigInt.asUintN(64, BigInt(i + 1) * 0x9e3779b97f4a7c15n)
          .toString(16)
          .padStart(16, '0'),
      ),
    );
    const { deps, reads } = world([processed(me as string, phash), ...many]);
    await similarImages(me as string, query, caller, deps);
    // Radii 2, 2, 2, 1 at distance 10: 3 x 137 + 17 band values, and the bytes.
    expect(reads.queries).toBe(1 + 3 * 137 + 17);
    // 428 band values of 65,536, so about 2,000 x 428 / 65,536 = 13 postings of random hashes, plus its own 5.
    expect(reads.items).toBeLessThan(40);
  });

  it("answers another owner's image 404, and searches an image's own owner for an admin", async () => {
    const items = [processed(me as string, phash), { ...processed(copy as string, phash), owner: OTHER_USER.sub }];
    await expect(similarImages(copy as string, query, caller, world(items).deps)).rejects.toMatchObject({
      statusCode: 404,
    });
    const page = await similarImages(copy as string, query, { owner: 'root', admin: true }, world(items).deps);
    expect(page.items).toEqual([]);
  });

  it('answers 404 for an image in the locked folder, to its owner and to an admin, and names no neighbour', async () => {
    const items = [{ ...processed(me as string, phash), locked: true }, processed(copy as string, phash)];
    for (const who of [caller, { owner: 'root', admin: true }]) {
      await expect(similarImages(me as string, query, who, world(items).deps)).rejects.toMatchObject({
        statusCode: 404,
        message: `image ${me} not found`,
      });
    }
  });

  it('answers 409 for an image that is not PROCESSED yet', async () => {
    const pending = { ...processed(me as string, phash), status: 'PENDING' as const, analysis: undefined };
    await expect(similarImages(me as string, query, caller, world([pending]).deps)).rejects.toMatchObject({
      statusCode: 409,
    });
  });

  it('counts the bits two hashes differ in, and lists every band value within a radius', () => {
    expect(hamming('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming(phash, flip(phash, [3, 60]))).toBe(2);
    expect(neighbours('0000', 0)).toEqual(['0000']);
    expect(neighbours('0000', 1)).toHaveLength(17);
    const two = neighbours('abcd', 2);
    expect(two).toHaveLength(137);
    expect(new Set(two).size).toBe(137);
    expect(two.every((v) => hamming(`abcd${'0'.repeat(12)}`, `${v}${'0'.repeat(12)}`) <= 2)).toBe(true);
  });
});

/** Every way to spread `bits` differing bits over `bands` bands of 16 (each band at most 16). */
function spreads(bits: number, bands: number): number[][] {
  if (bands === 1) return bits <= 16 ? [[bits]] : [];
  const all: number[][] = [];
  for (let first = 0; first <= Math.min(16, bits); first++) {
    for (const rest of spreads(bits - first, bands - 1)) all.push([first, ...rest]);
  }
  return all;
}
