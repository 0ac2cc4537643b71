import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateIndexCommand, CreateVectorBucketCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { WINDOW_NAMES, type WindowHashes } from '../../../lambdas/core/analysis/windows';
import { clusterPhoto } from '../../../lambdas/duplicates/clusters';
import { DuplicateStore } from '../../../lambdas/duplicates/duplicate-store';
import { LOOSE_NEAR_DISTANCE, NEAR_DISTANCE } from '../../../lambdas/duplicates/near';
import { lookalikesIn, lookalikesOf } from '../../../lambdas/duplicates/steps/near-duplicates';
import { DUPLICATES_TABLE } from '../../../lambdas/duplicates/table-design';
import type { PublishedEvent } from '../../../lambdas/events/events';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { S3VectorIndex } from '../../../lambdas/search/meaning/vector-index';
import type { ImageVector } from '../../../lambdas/search/steps/embed';
import { imageItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The second signal against the run's moto (its QueryVectors is the runner's): each photo's vector put in an S3
 * Vectors index as the `vector` step puts it, then clustered as the `near-duplicates` step clusters it, asking the
 * index for its lookalikes. A crop the hashes miss at NEAR_DISTANCE joins its original's cluster through the
 * embedding; a burst frame the embedding calls near but whose hashes are past the looser bound stays out; another
 * owner's lookalike is never asked. Hashes and vectors are made up: the rule is the unit tests'.
 */
jest.setTimeout(60_000);

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const tableName = `dups-${randomUUID().slice(0, 8)}`;
const vectorBucket = `vectors-${randomUUID().slice(0, 8)}`;
const dynamodb = new DynamoDBClient(config);
const vectors = new S3VectorsClient(config);
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const store = new DuplicateStore(documents, tableName);
const index = new S3VectorIndex(vectors, vectorBucket, 'images');
const lookalikes = lookalikesIn(index);
const events: PublishedEvent[] = [];
const deps = {
  store,
  events: { publish: async (event: PublishedEvent) => void events.push(event) },
  now: () => new Date().toISOString(),
};
const space = { model: 'amazon.titan-embed-image-v1', dimension: 4 };

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tableName, DUPLICATES_TABLE.design);
  await vectors.send(new CreateVectorBucketCommand({ vectorBucketName: vectorBucket }));
  await vectors.send(
    new CreateIndexCommand({
      vectorBucketName: vectorBucket,
      indexName: 'images',
      dataType: 'float32',
      dimension: 4,
      distanceMetric: 'cosine',
    }),
  );
});
afterAll(() => {
  dynamodb.destroy();
  vectors.destroy();
});

/** Seven window hashes of one picture, with `bits` of each flipped (a mask), so two photos are as far as their masks. */
function hashes(bits = 0n): WindowHashes {
  const base = 0x0123456789abcdefn ^ bits;
  return Object.fromEntries(
    WINDOW_NAMES.map((window, i) => [window, (base ^ (BigInt(i) << 40n)).toString(16).padStart(16, '0')]),
  ) as WindowHashes;
}
const mask = (from: number, count: number) => ((1n << BigInt(count)) - 1n) << BigInt(from);

/** A photo arriving as the processor takes it: its vector put in the index (`vector`), then clustered. */
async function arrive(owner: string, bits: bigint, values: number[]) {
  const imageId = ulid();
  const vector: ImageVector = { values, space };
  await index.put({ ...imageItem({ imageId }), owner }, values, space);
  const clustered = await clusterPhoto(
    {
      imageId,
      owner,
      hashes: hashes(bits),
      facts: { imageId, width: 100, height: 100, bytes: 1000, metadataCount: 0 },
      lookalikes: () => lookalikesOf({ lookalikes }, imageId, owner, vector),
    },
    deps,
  );
  return { imageId, ...clustered };
}

describe('near-duplicates with the embedding as a second signal', () => {
  it("clusters a crop the hashes miss with its original, and keeps a burst frame and another owner's photo out", async () => {
    const owner = `o-${randomUUID()}`;
    const original = await arrive(owner, 0n, [1, 0, 0, 0]);
    expect(original.clusterId).toBeUndefined();

    // 11 bits from the original: past NEAR_DISTANCE, within LOOSE_NEAR_DISTANCE; its vector nearly the original's.
    expect(NEAR_DISTANCE < 11 && 11 <= LOOSE_NEAR_DISTANCE).toBe(true);
    const crop = await arrive(owner, mask(0, 11), [0.99, 0.05, 0, 0]);
    expect(crop.change).toBe('created');
    expect(crop.byEmbedding).toBe(1);
    expect(crop.nearest).toEqual({ imageId: original.imageId, distance: 11 });

    // A burst frame: the embedding calls it near both, its hashes are past the looser bound from each.
    const burst = await arrive(owner, mask(20, LOOSE_NEAR_DISTANCE + 1), [0.98, 0.08, 0, 0]);
    expect(burst.clusterId).toBeUndefined();
    expect(burst.nearest).toBeUndefined();

    // Another owner's copy of the original, its vector the same: the index pins the owner, so it finds none.
    const elsewhere = await arrive(`x-${randomUUID()}`, mask(0, 10), [1, 0, 0, 0]);
    expect(elsewhere.clusterId).toBeUndefined();

    const cluster = await store.getCluster(crop.clusterId as string);
    expect(cluster?.members).toEqual([original.imageId, crop.imageId].sort());
    const found = events.filter((event) => (event.detail as { clusterId?: string }).clusterId === crop.clusterId);
    expect(found).toHaveLength(1);
  });

  it('finds by the hashes alone what is near by them, the embedding adding nothing', async () => {
    const owner = `o-${randomUUID()}`;
    const original = await arrive(owner, 0n, [0, 1, 0, 0]);
    // A re-encode: 3 bits, found by the band values; its vector far (a model that disagrees) changes nothing.
    const copy = await arrive(owner, mask(0, 3), [0, 0, 1, 0]);
    expect(copy.change).toBe('created');
    expect(copy.byEmbedding).toBeUndefined();
    expect(copy.nearest).toEqual({ imageId: original.imageId, distance: 3 });
  });
});
