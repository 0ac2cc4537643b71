import {
  DeleteVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  S3VectorsClient,
} from '@aws-sdk/client-s3vectors';
import { mockClient } from 'aws-sdk-client-mock';
import type { SearchFilters } from '../../../../lambdas/search/filters';
import {
  FILTER_TERMS_BYTES,
  filterOf,
  metadataOf,
  S3VectorIndex,
} from '../../../../lambdas/search/meaning/vector-index';
import { withTerms } from '../../../../lambdas/search/postings';
import { searchableItem } from '../../../support/items';

const vectors = mockClient(S3VectorsClient);
const index = new S3VectorIndex(new S3VectorsClient({ region: 'us-east-1' }), 'image-vectors', 'images');
const space = { model: 'amazon.titan-embed-image-v1', dimension: 256 };
const none: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };
const item = () =>
  withTerms({ ...searchableItem(), owner: 'alice' }, undefined) as ReturnType<typeof searchableItem> & {
    owner: string;
  };

describe('S3VectorIndex', () => {
  beforeEach(() => vectors.reset());

  it("puts the image's vector under its id, with its filter terms but its words, its faces, date and space", async () => {
    await index.put(item(), [0.6, 0.8], space);
    const input = vectors.commandCalls(PutVectorsCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ vectorBucketName: 'image-vectors', indexName: 'images' });
    const [vector] = input?.vectors ?? [];
    expect(vector?.key).toBe(item().imageId);
    expect(vector?.data).toEqual({ float32: [0.6, 0.8] });
    const metadata = vector?.metadata as unknown as ReturnType<typeof metadataOf>;
    expect(metadata).toMatchObject({ owner: 'alice', faces: 4, model: space.model, dimension: 256 });
    expect(metadata.terms).toEqual(expect.arrayContaining(['label=coffee cup', 'color=blue', 'tag=holiday']));
    expect(metadata.terms.filter((term) => /^(word|prefix|phash\d|sha256)=/.test(term))).toEqual([]);
    expect(metadata.taken).toBe(Date.parse('2019-07-14T18:30:00Z') / 1000);
    // Under S3 Vectors' 2 KB of filterable metadata.
    expect(Buffer.byteLength(JSON.stringify(metadata))).toBeLessThan(2048);
  });

  it('keeps a label-heavy image under the budget by leaving out the terms past it', () => {
    const many = item();
    many.indexedTerms = [
      ...(many.indexedTerms ?? []),
      ...Array.from({ length: 200 }, (_, i) => `label=label number ${i}`),
    ];
    const metadata = metadataOf(many, space);
    expect(metadata.terms.reduce((sum, term) => sum + Buffer.byteLength(term) + 4, 0)).toBeLessThanOrEqual(
      FILTER_TERMS_BYTES,
    );
    expect(Buffer.byteLength(JSON.stringify(metadata))).toBeLessThan(2048);
  });

  it('filters inside the query: the owner and the space pinned, each clause, faces and dates as ranges', () => {
    const filter = filterOf(
      'alice',
      space,
      {
        ...none,
        label: ['cat'],
        color: 'red',
        person: 'p1',
        minFaces: 2,
        takenAfter: '2024-01-01T00:00:00',
        text: ['x'],
      },
      ['p1', 'p0'],
    );
    expect(filter).toEqual({
      $and: [
        { owner: { $eq: 'alice' } },
        { model: { $eq: space.model } },
        { dimension: { $eq: 256 } },
        { terms: { $eq: 'label=cat' } },
        { terms: { $eq: 'color=red' } },
        { terms: { $eq: 'faces>=2' } },
        { $or: [{ terms: { $eq: 'person=p1' } }, { terms: { $eq: 'person=p0' } }] },
        { faces: { $gte: 2 } },
        { taken: { $gte: Date.parse('2024-01-01T00:00:00Z') / 1000 } },
      ],
    });
    // No filter but the owner and the space: every image of the owner is a candidate.
    expect(filterOf('bob', space, none)).toEqual({
      $and: [{ owner: { $eq: 'bob' } }, { model: { $eq: space.model } }, { dimension: { $eq: 256 } }],
    });
  });

  it('queries nearest first with distances, top-K held to 1-100, and deletes by id', async () => {
    vectors.on(QueryVectorsCommand).resolves({
      vectors: [
        { key: 'B', distance: 0.1 },
        { key: 'A', distance: 0.4 },
      ],
      distanceMetric: 'cosine',
    });
    expect(await index.query('alice', [1, 0], space, none, { topK: 500 })).toEqual([
      { imageId: 'B', distance: 0.1 },
      { imageId: 'A', distance: 0.4 },
    ]);
    expect(vectors.commandCalls(QueryVectorsCommand)[0]?.args[0].input).toMatchObject({
      topK: 100,
      returnDistance: true,
      queryVector: { float32: [1, 0] },
    });
    await index.remove('A');
    expect(vectors.commandCalls(DeleteVectorsCommand)[0]?.args[0].input).toEqual({
      vectorBucketName: 'image-vectors',
      indexName: 'images',
      keys: ['A'],
    });
  });
});
