import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { WINDOW_NAMES, type WindowHashes } from '../../../lambdas/core/analysis/windows';
import { clusterPhoto } from '../../../lambdas/duplicates/clusters';
import { DuplicateStore } from '../../../lambdas/duplicates/duplicate-store';
import { photoAway, photoBack } from '../../../lambdas/duplicates/leave';
import { dismissDuplicates, listDuplicates } from '../../../lambdas/duplicates/review';
import { DUPLICATES_TABLE } from '../../../lambdas/duplicates/table-design';
import type { PublishedEvent } from '../../../lambdas/events/events';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The near-duplicate clusters against the run's moto, through the room's own store: photos that arrive together make
 * one cluster, a dismissed pair is never clustered again, a photo trashed leaves its cluster (dissolving one of two),
 * and one restored is found by the next arrival. Hashes are made up: the rule itself is near.test.ts's.
 */
jest.setTimeout(60_000);

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const tableName = `dups-${randomUUID().slice(0, 8)}`;
const dynamodb = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const store = new DuplicateStore(documents, tableName);
const events: PublishedEvent[] = [];
const now = () => new Date().toISOString();
const deps = { store, events: { publish: async (event: PublishedEvent) => void events.push(event) }, now };

beforeAll(() => createDeclaredTable(dynamodb, tableName, DUPLICATES_TABLE.design));
afterAll(() => dynamodb.destroy());

/** Seven window hashes, each the same picture's (a copy's hashes equal its original's, or differ by `flip`). */
function hashes(seed: string, flip = 0): WindowHashes {
  const base = BigInt(`0x${seed.padEnd(16, '7').slice(0, 16)}`) ^ BigInt(flip);
  return Object.fromEntries(
    WINDOW_NAMES.map((window, i) => [window, (base ^ (BigInt(i) << 40n)).toString(16).padStart(16, '0')]),
  ) as WindowHashes;
}

const photo = (owner: string, seed: string, flip = 0) => ({
  imageId: ulid(),
  owner,
  hashes: hashes(seed, flip),
  facts: { imageId: '', width: 100, height: 100, bytes: 1000, metadataCount: 0 },
});

describe('near-duplicate clusters', () => {
  it('makes one cluster of copies arriving together, and lists it newest first', async () => {
    const owner = `o-${randomUUID()}`;
    const copies = [photo(owner, 'a1b2c3d4'), photo(owner, 'a1b2c3d4', 0b11), photo(owner, 'a1b2c3d4', 0b101)];
    const results = await Promise.all(copies.map((copy) => clusterPhoto(copy, deps)));
    const ids = new Set(results.map((result) => result.clusterId).filter(Boolean));
    expect(ids.size).toBe(1);
    const page = await listDuplicates({ limit: 10 }, { owner, admin: false }, deps);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.members.map((member) => member.imageId).sort()).toEqual(
      copies.map((copy) => copy.imageId).sort(),
    );
    // An unrelated photo of the same owner, and a copy of another owner's, join nothing.
    expect((await clusterPhoto(photo(owner, 'ffff0000'), deps)).clusterId).toBeUndefined();
    expect((await clusterPhoto(photo(`x-${randomUUID()}`, 'a1b2c3d4'), deps)).clusterId).toBeUndefined();
  });

  it('never clusters a dismissed pair again, and a trashed photo leaves (one of two dissolves it)', async () => {
    const owner = `o-${randomUUID()}`;
    const caller = { owner, admin: false };
    const [a, b] = [photo(owner, '12345678'), photo(owner, '12345678', 1)];
    await clusterPhoto(a as never, deps);
    const made = await clusterPhoto(b as never, deps);
    expect(made.change).toBe('created');
    await dismissDuplicates(made.clusterId as string, caller, deps);
    expect((await listDuplicates({ limit: 10 }, caller, deps)).items).toEqual([]);
    // A third copy clusters with one of them only: the two dismissed stay apart.
    const c = photo(owner, '12345678', 2);
    const third = await clusterPhoto(c, deps);
    const [cluster] = (await listDuplicates({ limit: 10 }, caller, deps)).items;
    expect(third.change).toBe('created');
    expect(cluster?.members).toHaveLength(2);

    // Trashed: it leaves, and the cluster of two dissolves.
    await photoAway(c.imageId, deps);
    expect((await listDuplicates({ limit: 10 }, caller, deps)).items).toEqual([]);
    expect((await store.getPhoto(c.imageId))?.away).toBe(true);
    // Restored: posted again, so the next copy to arrive finds it.
    await photoBack(c.imageId, deps);
    const d = photo(owner, '12345678', 4);
    const fourth = await clusterPhoto(d, deps);
    expect(fourth.clusterId).toBeDefined();
    const [again] = (await listDuplicates({ limit: 10 }, caller, deps)).items;
    expect(again?.members.map((member) => member.imageId)).toContain(c.imageId);
  });
});
