import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { AlbumStore } from '../../../lambdas/albums/album-store';
import { newAlbumId } from '../../../lambdas/albums/albums';
import { ALBUMS_TABLE } from '../../../lambdas/albums/table-design';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { GrantStore } from '../../../lambdas/partners/grants';
import { PartnerReads } from '../../../lambdas/partners/partner-reads';
import { PARTNERS_TABLE } from '../../../lambdas/partners/table-design';
import { ConflictError, NotFoundError } from '../../../lambdas/shared/errors';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { shardAttributes } from '../../../lambdas/store/list-shards';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { timelineAttributes } from '../../../lambdas/store/timeline-key';
import { imageItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The grants and a partner's reads against the run's moto, the tables made from their declarations as the runner
 * makes them: a grant within the cap, replaced, listed both ways and revoked; a partner's page of the grantor's
 * timeline (from a date on as a key condition, paged without a repeat), of granted albums, and merged; and nothing
 * shown that the grantor would not show (the trash, locked, archived), nor anything without a grant.
 */

const raw = new DynamoDBClient({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const suffix = randomUUID().slice(0, 8);
const tables = { results: `results-${suffix}`, partners: `partners-${suffix}`, albums: `albums-${suffix}` };
const grants = new GrantStore(client, tables.partners);
const albums = new AlbumStore(client, tables.albums);
const reads = new PartnerReads(client, tables);

const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => `${name}-${suffix}`) as [string, string, string];
const as = (owner: string) => ({ owner, admin: false });
const at = '2026-01-01T00:00:00.000Z';

beforeAll(async () => {
  await createDeclaredTable(raw, tables.results, RESULTS_TABLE.design);
  await createDeclaredTable(raw, tables.partners, PARTNERS_TABLE.design);
  await createDeclaredTable(raw, tables.albums, ALBUMS_TABLE.design);
});
afterAll(() => raw.destroy());

/** An image of `owner` taken on `day`, stored with its list keys as the store writes them. */
async function stored(owner: string, day: string, overrides: Partial<ImageItem> = {}): Promise<ImageItem> {
  const imageId = ulid();
  const item = imageItem({ imageId, owner, takenCorrection: { takenAt: `${day}T12:00:00` }, ...overrides } as never);
  const filing = { archived: item.archived === true, locked: item.locked === true };
  await client.send(
    new PutCommand({
      TableName: tables.results,
      Item: { ...item, ...shardAttributes(imageId, item.status, owner, filing), ...timelineAttributes(item) },
    }),
  );
  return item;
}

const grant = (grantor: string, partner: string, more: { albums?: string[]; from?: string } = {}) =>
  grants.put({ grantor, partner, ...more, createdAt: at, updatedAt: at });

async function allPages(caller: string, asked: { partner?: string; all?: boolean }, limit: number) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await reads.page(as(caller), { ...asked, limit, ...(cursor && { cursor }) });
    ids.push(...page.items.map((item) => item.imageId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

describe('the grant store', () => {
  it('creates, replaces (keeping when it began), lists both ways and revokes a grant', async () => {
    const [grantor, partner] = [`g-${suffix}`, `p-${suffix}`];
    expect(await grant(grantor, partner)).toBe('created');
    expect(
      await grants.put({ grantor, partner, from: '2020-01-01T00:00:00', createdAt: 'later', updatedAt: 'later' }),
    ).toBe('replaced');
    expect(await grants.get(grantor, partner)).toMatchObject({ from: '2020-01-01T00:00:00', createdAt: at });
    expect((await grants.granted(grantor)).map((one) => one.partner)).toEqual([partner]);
    expect((await grants.received(partner)).map((one) => one.grantor)).toEqual([grantor]);
    expect(await grants.delete(grantor, partner)).toBe(true);
    expect(await grants.get(grantor, partner)).toBeUndefined();
    expect(await grants.delete(grantor, partner)).toBe(false);
    expect(await grants.received(partner)).toEqual([]);
  });

  it('refuses a partner past the cap with a 409, and takes one again once another is revoked', async () => {
    const grantor = `cap-${suffix}`;
    for (const n of [1, 2]) await grants.put({ grantor, partner: `p${n}`, createdAt: at, updatedAt: at }, 2);
    const third = grants.put({ grantor, partner: 'p3', createdAt: at, updatedAt: at }, 2);
    await expect(third).rejects.toThrow(ConflictError);
    await expect(third).rejects.toThrow(/2 partners already/);
    // A replacement is no new partner.
    expect(await grants.put({ grantor, partner: 'p2', createdAt: at, updatedAt: at }, 2)).toBe('replaced');
    await grants.delete(grantor, 'p1');
    expect(await grants.put({ grantor, partner: 'p3', createdAt: at, updatedAt: at }, 2)).toBe('created');
  });
});

describe("a partner's reads", () => {
  const photos: Record<string, ImageItem> = {};

  beforeAll(async () => {
    photos.old = await stored(alice, '2019-05-01');
    photos.mid = await stored(alice, '2021-05-01');
    photos.recent = await stored(alice, '2023-05-01');
    photos.newest = await stored(alice, '2024-05-01');
    photos.trashed = await stored(alice, '2024-06-01', { status: 'TRASHED' });
    photos.locked = await stored(alice, '2024-07-01', { locked: true });
    photos.archived = await stored(alice, '2024-08-01', { archived: true });
    photos.carols = await stored(carol, '2024-09-01');
  });

  afterEach(async () => {
    await grants.delete(alice, bob);
    await grants.delete(carol, bob);
  });

  it('answers 404 without a grant, and lets nobody else in through one', async () => {
    await expect(reads.page(as(bob), { partner: alice, limit: 10 })).rejects.toThrow(NotFoundError);
    expect(await reads.covers(as(bob), photos.newest as ImageItem)).toBe(false);
    await grant(alice, bob);
    await expect(reads.page(as(carol), { partner: alice, limit: 10 })).rejects.toThrow(NotFoundError);
    expect(await reads.covers(as(carol), photos.newest as ImageItem)).toBe(false);
  });

  it("lists the grantor's timeline newest taken first, page by page, without the trash, locked or archived", async () => {
    await grant(alice, bob);
    const expected = [photos.newest, photos.recent, photos.mid, photos.old].map((item) => item?.imageId);
    expect(await allPages(bob, { partner: alice }, 2)).toEqual(expected);
    expect(await allPages(bob, { partner: alice }, 100)).toEqual(expected);
    for (const hidden of [photos.trashed, photos.locked, photos.archived]) {
      expect(await reads.covers(as(bob), hidden as ImageItem)).toBe(false);
    }
    expect(await reads.covers(as(bob), photos.old as ImageItem)).toBe(true);
  });

  it("reads from the grant's date on only, and pages there without a repeat", async () => {
    await grant(alice, bob, { from: '2021-01-01T00:00:00' });
    const expected = [photos.newest, photos.recent, photos.mid].map((item) => item?.imageId);
    expect(await allPages(bob, { partner: alice }, 1)).toEqual(expected);
    expect(await reads.covers(as(bob), photos.old as ImageItem)).toBe(false);
    expect(await reads.covers(as(bob), photos.mid as ImageItem)).toBe(true);
  });

  it("reads a grant of albums from the albums alone, and only while they are the grantor's", async () => {
    const albumId = newAlbumId();
    await albums.create({
      albumId,
      owner: alice,
      name: 'Bob',
      kind: 'manual',
      order: 'added',
      count: 0,
      createdAt: at,
      updatedAt: at,
    });
    const members = [photos.recent, photos.archived].map((item) => ({
      imageId: String(item?.imageId),
      takenKey: timelineAttributes(item as ImageItem).takenKey,
    }));
    await albums.addMembers(albumId, members, at);
    await grant(alice, bob, { albums: [albumId] });
    expect(await allPages(bob, { partner: alice }, 10)).toEqual([photos.recent?.imageId]);
    expect(await reads.covers(as(bob), photos.recent as ImageItem)).toBe(true);
    expect(await reads.covers(as(bob), photos.newest as ImageItem)).toBe(false);
    // A grant naming carol's album (which a grant's check refuses) reads nothing of it.
    const carols = newAlbumId();
    await albums.create({
      albumId: carols,
      owner: carol,
      name: 'Mine',
      kind: 'manual',
      order: 'added',
      count: 0,
      createdAt: at,
      updatedAt: at,
    });
    await albums.addMembers(
      carols,
      [{ imageId: String(photos.carols?.imageId), takenKey: timelineAttributes(photos.carols as ImageItem).takenKey }],
      at,
    );
    await grant(alice, bob, { albums: [carols] });
    expect(await allPages(bob, { partner: alice }, 10)).toEqual([]);
  });

  it('merges every grantor with partners=all, newest taken first', async () => {
    await grant(alice, bob, { from: '2023-01-01T00:00:00' });
    await grant(carol, bob);
    const expected = [photos.carols, photos.newest, photos.recent].map((item) => item?.imageId);
    expect(await allPages(bob, { all: true }, 2)).toEqual(expected);
    expect(await allPages(carol, { all: true }, 2)).toEqual([]);
  });

  it("merges grantors whose dates differ, paging below one grant's date without asking beyond it", async () => {
    await grant(alice, bob, { from: '2024-01-01T00:00:00' });
    await grant(carol, bob);
    const carolsOld = await stored(carol, '2020-01-01');
    // Carol's photo (2024-09), alice's newest (2024-05), then below alice's date only carol's older one (2020).
    const expected = [photos.carols, photos.newest, carolsOld].map((item) => item?.imageId);
    expect(await allPages(bob, { all: true }, 1)).toEqual(expected);
  });

  it('refuses a cursor made for another partner', async () => {
    await grant(alice, bob);
    await grant(carol, bob);
    const page = await reads.page(as(bob), { partner: alice, limit: 1 });
    await expect(reads.page(as(bob), { partner: carol, limit: 1, cursor: page.cursor })).rejects.toThrow(/cursor/);
  });
});
