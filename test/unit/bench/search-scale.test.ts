import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HttpResponse } from '@smithy/protocol-http';
import {
  bandValue,
  contiguous,
  distance,
  exactFor,
  flipMasks,
  hashSet,
  interleaved,
  probeCost,
  radiiFor,
  recall,
} from '../../../bench/search-scale-bands';
import { EXACT_SHARE, HEAVY_SHARE, Library, NEAR_SHARE, planLibrary } from '../../../bench/search-scale-corpus';
import { countReads, emptyCount, type ReadCount } from '../../../bench/search-scale-moto';
import { scanFilter, truthOf } from '../../../bench/search-scale-queries';
import { bandRadii } from '../../../lambdas/functions/similar-images/similar-images';
import { FACE_BUCKETS, phashBands } from '../../../lambdas/search/terms';
import { ImageItemSchema } from '../../../lambdas/store/image-item';

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

describe('the band arithmetic', () => {
  const hashes = ['0123456789abcdef', 'fedcba9876543210', '0123456789abcdee', '0123ffff89abcdef'];
  const set = hashSet(hashes);

  it('reads the contiguous bands as similar-images.ts files them (4 hex digits each)', () => {
    const layout = contiguous(4);
    for (const [i, hash] of hashes.entries()) {
      expect(layout.bands.map((bits) => bandValue(set, i, bits))).toEqual(
        phashBands(hash).map((band) => Number.parseInt(band, 16)),
      );
    }
  });

  it('splits the 64 bits into bands that cover each bit once', () => {
    for (const layout of [contiguous(3), interleaved(5), interleaved(11)]) {
      expect(layout.bands.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, bit) => bit));
    }
    expect(interleaved(4).bands[1]?.slice(0, 3)).toEqual([1, 5, 9]);
  });

  it('probes every value within the radius: sum of C(width, i)', () => {
    expect(flipMasks(16, 0)).toHaveLength(1);
    expect(flipMasks(16, 1)).toHaveLength(17);
    expect(flipMasks(16, 2)).toHaveLength(137);
    expect(new Set(flipMasks(21, 3)).size).toBe(1 + 21 + 210 + 1330);
  });

  it('counts the postings a probe finds, its own included, capped per value', () => {
    // Hash 0 shares bands 0, 1 and 2 exactly with hash 2 and bands 0, 2, 3 with hash 3; hash 1 shares nothing.
    const exact = probeCost(set, contiguous(4), [0, 0, 0, 0], [0], 100, 800);
    expect(exact.queries).toBe(4);
    expect(exact.items.mean).toBe(3 + 2 + 3 + 2);
    expect(probeCost(set, contiguous(4), [0, 0, 0, 0], [0], 1, 800).items.mean).toBe(4);
    expect(probeCost(set, contiguous(4), [0, 0, 0, 0], [1], 100, 800).items.mean).toBe(4);
    expect(probeCost(set, contiguous(4), [2, 2, 2, 1], [1], 100, 800).queries).toBe(3 * 137 + 17);
  });

  it('gives the smallest exact radii, as similar-images.ts does for 4 bands', () => {
    for (let d = 0; d <= 11; d++) {
      expect(radiiFor(4, d)).toEqual(bandRadii(d));
      expect(exactFor(radiiFor(4, d), d)).toBe(true);
      expect(
        exactFor(
          radiiFor(4, d).map((r, b) => (b === 0 ? r - 1 : r)),
          d,
        ),
      ).toBe(d < 3);
    }
    expect(radiiFor(3, 10)).toEqual([3, 3, 2]);
  });

  it('finds a pair within the distance when some band is within the radius', () => {
    expect(distance(set, 0, 2)).toBe(1);
    expect(recall(set, contiguous(4), [0, 0, 0, 0], [[0, 2]])).toBe(1);
    expect(recall(set, contiguous(4), [0, 0, 0, 0], [[0, 1]])).toBe(0);
  });
});

describe('the read counter', () => {
  /** A real client over a fake transport answering each operation with a canned body. */
  function counted(bodies: Record<string, unknown>) {
    const dynamodb = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: {
        handle: async (request: { headers: Record<string, string> }) => {
          const operation = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
          return {
            response: new HttpResponse({
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.0' },
              body: Readable.from([Buffer.from(JSON.stringify(bodies[operation] ?? {}))]),
            }),
          };
        },
      },
    });
    let tally: ReadCount = emptyCount();
    countReads(dynamodb, () => tally);
    const reset = () => {
      tally = emptyCount();
      return tally;
    };
    return { document: DynamoDBDocumentClient.from(dynamodb), reset };
  }

  it('sums what every Query, Scan, GetItem and BatchGetItem read, and counts the requests', async () => {
    const { document, reset } = counted({
      Query: { Items: [{ imageId: { S: 'a' } }], Count: 1, ScannedCount: 7 },
      Scan: { Items: [], Count: 0, ScannedCount: 120, LastEvaluatedKey: { imageId: { S: 'z' } } },
      GetItem: { Item: { imageId: { S: 'a' } } },
      BatchGetItem: { Responses: { t: [{ imageId: { S: 'a' } }, { imageId: { S: 'b' } }] } },
    });
    const count = reset();
    await document.send(
      new QueryCommand({ TableName: 't', KeyConditionExpression: 'k = :k', ExpressionAttributeValues: { ':k': 'x' } }),
    );
    await document.send(new ScanCommand({ TableName: 't' }));
    await document.send(new GetCommand({ TableName: 't', Key: { imageId: 'a' } }));
    await document.send(new BatchGetCommand({ RequestItems: { t: { Keys: [{ imageId: 'a' }, { imageId: 'b' }] } } }));
    expect(count).toEqual({
      requests: 4,
      items: 7 + 120 + 1 + 2,
      returned: 1,
      byCommand: { QueryCommand: 1, ScanCommand: 1, GetItemCommand: 1, BatchGetItemCommand: 1 },
    });
    const next = reset();
    await document.send(new GetCommand({ TableName: 't', Key: { imageId: 'a' } }));
    expect(next.requests).toBe(1);
    expect(count.requests).toBe(4);
  });
});

describe('the ground truth and the Scan filter', () => {
  // Images 0-3, oldest first: their faces, dates and terms (the `faces>=` buckets as termsOf files them).
  const faces = [0, 3, 1, 5];
  const bucketed = (min: number) => faces.flatMap((count, index) => (count >= min ? [index] : []));
  const catalogue = {
    ids: ['A', 'B', 'C', 'D'],
    phash: [],
    takenAt: ['2020-01-01T00:00:00', undefined, '2025-07-01T00:00:00', '2025-08-01T00:00:00'],
    faces: Uint8Array.from(faces),
    postings: new Uint16Array(4),
    terms: new Map<string, number[]>([
      ['all', [0, 1, 2, 3]],
      ['label=person', [1, 2, 3]],
      ['color=blue', [0, 2, 3]],
      ...FACE_BUCKETS.map((bucket) => [`faces>=${bucket}`, bucketed(bucket)] as [string, number[]]),
    ]),
  };

  it('matches every filter, newest first', () => {
    expect(truthOf({ label: 'Person', color: 'blue' }, catalogue)).toEqual([3, 2]);
    expect(truthOf({ minFaces: '3' }, catalogue)).toEqual([3, 1]);
    expect(truthOf({ minFaces: '4' }, catalogue)).toEqual([3]);
    expect(truthOf({ takenAfter: '2025-01-01', label: 'person' }, catalogue)).toEqual([3, 2]);
  });

  it('filters the records on the same terms and facts', () => {
    const filter = scanFilter('studio', { label: 'Person', color: 'blue' });
    expect(filter.FilterExpression).toBe(
      '#owner = :owner AND contains(indexedTerms, :t0) AND contains(indexedTerms, :t1)',
    );
    expect(filter.ExpressionAttributeValues).toEqual({
      ':owner': 'studio',
      ':t0': 'label=person',
      ':t1': 'color=blue',
    });
    expect(scanFilter('studio', { minFaces: '4' }).FilterExpression).toContain('attribute_exists(#vision.#faces[3])');
    expect(scanFilter('studio', { status: 'FAILED' }).FilterExpression).toBe('#owner = :owner AND #status = :status');
  });
});
