import { randomUUID } from 'node:crypto';
import { CreateIndexCommand, CreateVectorBucketCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import type { SearchFilters } from '../../../lambdas/search/filters';
import { S3VectorIndex } from '../../../lambdas/search/meaning/vector-index';
import { withTerms } from '../../../lambdas/search/postings';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { imageItem, searchableItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The S3 Vectors index against moto, whose QueryVectors is the runner's (lambdas/local/moto-launcher.ts: moto 5.2.1
 * has none): vectors put with their metadata, found nearest first, filtered inside the query, owners kept apart.
 */

const client = new S3VectorsClient({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const bucket = `vectors-${randomUUID().slice(0, 8)}`;
const index = new S3VectorIndex(client, bucket, 'images');
const space = { model: 'amazon.titan-embed-image-v1', dimension: 4 };
const none: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };

/** A processed image of `owner` with one label and a colour, indexed as the processor would. */
function image(imageId: string, owner: string, label: string, color: 'red' | 'blue'): ImageItem & { owner: string } {
  const base = searchableItem();
  const item = {
    ...base,
    ...imageItem({ imageId }),
    status: 'PROCESSED' as const,
    analysis: base.analysis,
    owner,
    vision: { ...base.vision, labels: [{ name: label, confidence: 0.9 }] },
  } as ImageItem;
  const indexed = withTerms(item, undefined);
  // The palette decides the colour term: keep the one asked for.
  indexed.indexedTerms = (indexed.indexedTerms ?? []).filter((t) => !t.startsWith('color=')).concat(`color=${color}`);
  return indexed as ImageItem & { owner: string };
}

beforeAll(async () => {
  await client.send(new CreateVectorBucketCommand({ vectorBucketName: bucket }));
  await client.send(
    new CreateIndexCommand({
      vectorBucketName: bucket,
      indexName: 'images',
      dataType: 'float32',
      dimension: 4,
      distanceMetric: 'cosine',
    }),
  );
  await index.put(image('A', 'alice', 'Dog', 'red'), [1, 0, 0, 0], space);
  await index.put(image('B', 'alice', 'Dog', 'blue'), [0.9, 0.1, 0, 0], space);
  await index.put(image('C', 'alice', 'Cat', 'blue'), [0, 1, 0, 0], space);
  await index.put(image('D', 'bob', 'Dog', 'red'), [1, 0, 0, 0], space);
});
afterAll(() => client.destroy());

describe('S3VectorIndex on moto', () => {
  it("finds the owner's images nearest first, and never another owner's", async () => {
    const hits = await index.query('alice', [1, 0, 0, 0], space, none, { topK: 10 });
    expect(hits.map((hit) => hit.imageId)).toEqual(['A', 'B', 'C']);
    expect(hits[0]?.distance).toBeCloseTo(0);
    expect(hits[2]?.distance).toBeCloseTo(1);
    expect((await index.query('bob', [0, 1, 0, 0], space, none, { topK: 10 })).map((hit) => hit.imageId)).toEqual([
      'D',
    ]);
  });

  it('applies the filters inside the query, and keeps to top-K', async () => {
    const red = await index.query('alice', [0, 1, 0, 0], space, { ...none, color: 'red' }, { topK: 10 });
    expect(red.map((hit) => hit.imageId)).toEqual(['A']);
    const dogs = await index.query('alice', [0, 1, 0, 0], space, { ...none, label: ['dog'] }, { topK: 1 });
    expect(dogs.map((hit) => hit.imageId)).toEqual(['B']);
    // Another embedding space is never compared with this one.
    const other = { ...space, model: 'amazon.nova-2-multimodal-embeddings-v1:0' };
    expect(await index.query('alice', [1, 0, 0, 0], other, none, { topK: 10 })).toEqual([]);
  });

  it('forgets a deleted image', async () => {
    await index.remove('C');
    await index.remove('C');
    const hits = await index.query('alice', [0, 1, 0, 0], space, none, { topK: 10 });
    expect(hits.map((hit) => hit.imageId)).toEqual(['B', 'A']);
  });
});
