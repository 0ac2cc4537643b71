import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { newShareToken, tokenHash } from '../../../lambdas/shares/secrets';
import type { ShareItem } from '../../../lambdas/shares/share';
import { KEEP_ENDED_DAYS, ShareStore } from '../../../lambdas/shares/share-store';
import { SHARES_TABLE, shareKey, viewsKey } from '../../../lambdas/shares/table-design';
import { InvalidCursorError } from '../../../lambdas/store/page-cursor';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The shares table against the run's moto: links kept under their token's hash, an owner's listed newest first a page
 * at a time with their views, a revoke once, views (an item apart, out of the owner index) and wrong passwords counted.
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const raw = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(raw);
const table = `shares-${randomUUID().slice(0, 8)}`;
const store = new ShareStore(documents, table);

beforeAll(() => createDeclaredTable(raw, table, SHARES_TABLE.design));

function link(owner: string, createdAt: string, fields: Partial<ShareItem> = {}): ShareItem {
  return {
    hash: tokenHash(newShareToken()),
    owner,
    target: { kind: 'image', imageId: '01JABCDEFGHJKMNPQRSTVWXYZ0' },
    title: 'Photo',
    createdAt,
    allowDownload: false,
    ...fields,
  };
}

describe('the share store', () => {
  it('keeps a link under its hash with its TTL 30 days past its expiry, and reads it back as it was', async () => {
    const share = link('ann', '2026-11-28T08:00:00.000Z', {
      expiresAt: '2026-12-01T00:00:00.000Z',
      passwordHash: 'scrypt$16384$8$1$salt$hash',
    });
    await store.create(share);
    expect(await store.get(share.hash)).toEqual(share);
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: shareKey(share.hash) }));
    expect(Item?.ttl).toBe(Date.parse('2026-12-01T00:00:00.000Z') / 1000 + KEEP_ENDED_DAYS * 86_400);
    expect(Item?.pk).toBe(`SH#${share.hash}`);
    expect(await store.get(tokenHash('no such token'))).toBeUndefined();
    await expect(store.create(share)).rejects.toThrow();
  });

  it("lists an owner's links newest first, a page at a time, and refuses another owner's cursor", async () => {
    const made = [1, 2, 3, 4, 5].map((day) => link('bea', `2026-11-0${day}T00:00:00.000Z`));
    for (const share of made) await store.create(share);
    await store.create(link('cal', '2026-11-09T00:00:00.000Z'));
    const first = await store.listOf('bea', 2);
    const second = await store.listOf('bea', 2, first.cursor);
    const third = await store.listOf('bea', 2, second.cursor);
    const listed = [...first.items, ...second.items, ...third.items].map((share) => share.createdAt);
    expect(listed).toEqual([5, 4, 3, 2, 1].map((day) => `2026-11-0${day}T00:00:00.000Z`));
    expect(first.items.map((share) => share.views)).toEqual([0, 0]);
    expect(third.items).toHaveLength(1);
    await expect(store.listOf('cal', 2, first.cursor)).rejects.toThrow(InvalidCursorError);
  });

  it('counts views in an item of their own, out of the owner index, that the list reads and that goes with its link', async () => {
    const share = link('eve', '2026-11-28T08:00:00.000Z', { expiresAt: '2026-12-01T00:00:00.000Z' });
    await store.create(share);
    const before = await documents.send(new GetCommand({ TableName: table, Key: shareKey(share.hash) }));
    await store.countView(share);
    await store.countView(share);
    await store.countView(share);
    const listed = await store.listOf('eve', 10);
    expect(listed.items).toEqual([{ ...share, views: 3 }]);
    // The link's item (and so its index entry) is not written by a view.
    const after = await documents.send(new GetCommand({ TableName: table, Key: shareKey(share.hash) }));
    expect(after.Item).toEqual(before.Item);
    const views = await documents.send(new GetCommand({ TableName: table, Key: viewsKey(share.hash) }));
    const expires = Date.parse('2026-12-01T00:00:00.000Z') / 1000 + KEEP_ENDED_DAYS * 86_400;
    expect(views.Item).toEqual({ ...viewsKey(share.hash), views: 3, ttl: expires });
    // Revoked, its views go with it, 30 days after the revoke.
    expect(await store.revoke(share.hash, '2026-11-28T09:00:00.000Z')).toBe(true);
    const revoked = await documents.send(new GetCommand({ TableName: table, Key: viewsKey(share.hash) }));
    expect(revoked.Item?.ttl).toBe(Date.parse('2026-11-28T09:00:00.000Z') / 1000 + KEEP_ENDED_DAYS * 86_400);
  });

  it('counts views, revokes once, and counts wrong passwords per window', async () => {
    const share = link('dee', '2026-11-28T08:00:00.000Z');
    await store.create(share);
    await store.countView(share);
    await store.countView(share);
    const views = await documents.send(new GetCommand({ TableName: table, Key: viewsKey(share.hash) }));
    // A link that never expires: its views have no TTL until it is revoked.
    expect(views.Item).toEqual({ ...viewsKey(share.hash), views: 2 });
    expect(await store.revoke(share.hash, '2026-11-28T09:00:00.000Z')).toBe(true);
    expect(await store.revoke(share.hash, '2026-11-28T09:05:00.000Z')).toBe(false);
    expect(await store.revoke(tokenHash('never made'), '2026-11-28T09:00:00.000Z')).toBe(false);
    // Never opened: the revoke made no item of views.
    expect(
      (await documents.send(new GetCommand({ TableName: table, Key: viewsKey(tokenHash('never made')) }))).Item,
    ).toBeUndefined();
    expect((await store.get(share.hash))?.revokedAt).toBe('2026-11-28T09:00:00.000Z');
    const window = '2026-11-28T09:00:00.000Z';
    const until = new Date('2026-11-28T09:15:00.000Z');
    // 30 claims at once of 10: exactly 10 are granted, however they interleave.
    const claims = await Promise.all(
      Array.from({ length: 30 }, () => store.claimAttempt(share.hash, { window, client: 'c1' }, 10, until)),
    );
    expect(claims.filter(Boolean)).toHaveLength(10);
    await store.releaseAttempt(share.hash, { window, client: 'c1' });
    expect(await store.claimAttempt(share.hash, { window, client: 'c1' }, 10, until)).toBe(true);
    expect(await store.claimAttempt(share.hash, { window, client: 'c1' }, 10, until)).toBe(false);
    // Another client, the link's own count and another window are counted apart.
    expect(await store.claimAttempt(share.hash, { window, client: 'c2' }, 10, until)).toBe(true);
    expect(await store.claimAttempt(share.hash, { window }, 10, until)).toBe(true);
    expect(await store.claimAttempt(share.hash, { window: '2026-11-28T09:15:00.000Z', client: 'c1' }, 10, until)).toBe(
      true,
    );
    // Given back below zero never: a release of nothing claimed leaves no negative count.
    await store.releaseAttempt(share.hash, { window: '2026-11-28T10:00:00.000Z' });
    expect(await store.claimAttempt(share.hash, { window: '2026-11-28T10:00:00.000Z' }, 1, until)).toBe(true);
    expect(await store.claimAttempt(share.hash, { window: '2026-11-28T10:00:00.000Z' }, 1, until)).toBe(false);
    // The counters are no links: the owner's list has the link alone, with its views.
    expect((await store.listOf('dee', 10)).items.map((item) => [item.hash, item.views])).toEqual([[share.hash, 2]]);
  });
});

describe('the share store keeps no token', () => {
  it('writes a link without its token: its item has the hash for a key and no token anywhere, nor has its list', async () => {
    const token = newShareToken();
    const share = { ...link('fay', '2026-11-28T08:00:00.000Z'), hash: tokenHash(token) };
    await store.create(share);
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: shareKey(share.hash) }));
    expect(Item?.pk).toBe(`SH#${share.hash}`);
    expect(Item).not.toHaveProperty('token');
    expect(JSON.stringify(Item)).not.toContain(token);
    const listed = await store.listOf('fay', 10);
    expect(listed.items.map((item) => item.hash)).toEqual([share.hash]);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it("reads an older version's item without its token, removes the token on a revoke, and finds a link by its shareId", async () => {
    const token = newShareToken();
    const hash = tokenHash(token);
    const createdAt = '2026-11-20T08:00:00.000Z';
    // As versions up to 4a22a2ed wrote a link: the token itself beside its hash.
    await documents.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...shareKey(hash),
          token,
          owner: 'gus',
          target: { kind: 'album', albumId: 'al_0123456789abcdef0123' },
          title: 'Summer',
          createdAt,
          allowDownload: false,
          shareOwner: 'gus',
          shareSort: `${createdAt}#${hash}`,
        },
      }),
    );
    await store.create(link('gus', '2026-11-21T08:00:00.000Z'));
    expect(await store.get(hash)).not.toHaveProperty('token');
    const listed = await store.listOf('gus', 10);
    expect(listed.items.map((item) => item.hash)).toContain(hash);
    expect(JSON.stringify(listed)).not.toContain(token);

    // By its shareId: the owner's own link (the older one, past a newer), never another owner's.
    expect((await store.findOwned('gus', hash.slice(0, 16)))?.hash).toBe(hash);
    expect(await store.findOwned('hal', hash.slice(0, 16))).toBeUndefined();
    expect(await store.findOwned('gus', '0123456789abcdef')).toBeUndefined();

    expect(await store.revoke(hash, '2026-11-28T09:00:00.000Z')).toBe(true);
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: shareKey(hash) }));
    expect(Item?.revokedAt).toBe('2026-11-28T09:00:00.000Z');
    expect(Item).not.toHaveProperty('token');
  });
});
