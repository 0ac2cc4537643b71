import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { AlbumPeople } from '../../../lambdas/albums/album-people';
import { AlbumStore } from '../../../lambdas/albums/album-store';
import { newAlbumId } from '../../../lambdas/albums/albums';
import {
  type DeletedAlbumMessage,
  deleteAlbumMembers,
  MEMBERS_PER_MESSAGE,
} from '../../../lambdas/albums/deleted-albums';
import type { Album } from '../../../lambdas/albums/schemas';
import { ALBUMS_TABLE } from '../../../lambdas/albums/table-design';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The album store against the run's moto: its table made from the declaration, as the runner makes it. Members are
 * added and removed idempotently with the album's count, paged in both orders by the indexes, found by image (a
 * purge), and an album's delete takes its owner's count with it, its members left to the deleted albums' queue.
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const raw = new DynamoDBClient(config);
const table = `albums-${randomUUID().slice(0, 8)}`;
const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const store = new AlbumStore(documents, table);
const people = new AlbumPeople(documents, table);

beforeAll(() => createDeclaredTable(raw, table, ALBUMS_TABLE.design));
afterAll(() => raw.destroy());

function album(owner: string, createdAt = new Date().toISOString()): Album {
  return {
    albumId: newAlbumId(),
    owner,
    name: 'Trip',
    kind: 'manual',
    order: 'added',
    count: 0,
    createdAt,
    updatedAt: createdAt,
  };
}

/** Ids of images as the store would be given them: newest taken first is the reverse of `taken`. */
const images = (n: number) => Array.from({ length: n }, () => ulid());

async function allIds(albumId: string, order: 'added' | 'taken', limit: number) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.memberPage(albumId, order, { cursor, limit });
    ids.push(...page.ids);
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

describe('the album store', () => {
  it("lists an owner's albums newest first, a page at a time, and no one else's", async () => {
    const owner = `lister-${randomUUID().slice(0, 6)}`;
    const made = [0, 1, 2].map((i) => album(owner, `2026-01-0${i + 1}T00:00:00.000Z`));
    for (const one of made) await store.create(one);
    await store.create(album(`${owner}-other`));
    const first = await store.listOf(owner, { limit: 2 });
    expect(first.items.map((one) => one.albumId)).toEqual([made[2]?.albumId, made[1]?.albumId]);
    const second = await store.listOf(owner, { limit: 2, cursor: first.cursor });
    expect(second.items.map((one) => one.albumId)).toEqual([made[0]?.albumId]);
    expect(second.cursor).toBeUndefined();
    // A cursor is bound to its owner's list.
    await expect(store.listOf(`${owner}-other`, { limit: 2, cursor: first.cursor })).rejects.toThrow(/cursor/);
  });

  it('adds members with the count, pages them in both orders, and finds them by image', async () => {
    const one = album('adder');
    await store.create(one);
    const ids = images(5);
    // Taken in the reverse of the order they are added.
    const members = ids.map((imageId, i) => ({ imageId, takenKey: `2020-01-0${9 - i}T00:00:00#${imageId}` }));
    expect(await store.addMembers(one.albumId, members.slice(0, 3), '2026-02-01T00:00:00.000Z')).toBe(3);
    expect(await store.addMembers(one.albumId, members.slice(3), '2026-02-02T00:00:00.000Z')).toBe(2);
    expect((await store.get(one.albumId))?.count).toBe(5);
    const added = await allIds(one.albumId, 'added', 2);
    expect(added.slice(0, 2).sort()).toEqual(ids.slice(3).sort());
    expect(added).toHaveLength(5);
    expect(await allIds(one.albumId, 'taken', 2)).toEqual(ids);
    expect(await store.membersAmong(one.albumId, [ids[0] as string, ulid()])).toEqual(new Set([ids[0]]));
    expect(await store.albumIdsOf(ids[0] as string)).toEqual([one.albumId]);
    // A cursor of one order is not one of the other.
    const page = await store.memberPage(one.albumId, 'taken', { limit: 2 });
    await expect(store.memberPage(one.albumId, 'added', { limit: 2, cursor: page.cursor })).rejects.toThrow(/cursor/);
  });

  it('refuses to add a member twice (the caller leaves those out: membersAmong), counting nothing', async () => {
    const one = album('twice');
    await store.create(one);
    const [imageId] = images(1) as [string];
    await store.addMembers(
      one.albumId,
      [{ imageId, takenKey: `2020-01-01T00:00:00#${imageId}` }],
      new Date().toISOString(),
    );
    await expect(
      store.addMembers(
        one.albumId,
        [{ imageId, takenKey: `2020-01-01T00:00:00#${imageId}` }],
        new Date().toISOString(),
      ),
    ).rejects.toMatchObject({ statusCode: 409 });
    expect((await store.get(one.albumId))?.count).toBe(1);
  });

  it('removes members with the count; an image purged leaves every album it is in, and its cover', async () => {
    const [a, b] = [album('purger'), album('purger')];
    await store.create(a);
    await store.create(b);
    const [kept, purged] = images(2) as [string, string];
    const at = new Date().toISOString();
    for (const target of [a, b]) {
      await store.addMembers(
        target.albumId,
        [kept, purged].map((imageId) => ({ imageId, takenKey: `2020-01-01T00:00:00#${imageId}` })),
        at,
      );
    }
    await store.update(b.albumId, { coverImageId: purged }, at);
    expect(await store.removeMembers(a.albumId, [kept])).toBe(1);
    await store.removeImage(purged);
    // Again, as a retried purge would: nothing is left to remove.
    await store.removeImage(purged);
    expect(await store.albumIdsOf(purged)).toEqual([]);
    expect([(await store.get(a.albumId))?.count, (await store.get(b.albumId))?.count]).toEqual([0, 1]);
    // The purged image was b's cover: it is no more.
    expect((await store.get(b.albumId))?.coverImageId).toBeUndefined();
    expect(await allIds(b.albumId, 'added', 10)).toEqual([kept]);
  });

  it('deletes an album and its place in its owner count at once; a second delete finds none', async () => {
    const owner = `deleter-${randomUUID().slice(0, 6)}`;
    const one = album(owner);
    await store.create(one);
    const ids = images(3);
    await store.addMembers(
      one.albumId,
      ids.map((imageId) => ({ imageId, takenKey: `2020-01-01T00:00:00#${imageId}` })),
      new Date().toISOString(),
    );
    expect(await store.delete(one)).toBe(true);
    expect(await store.delete(one)).toBe(false);
    expect(await store.get(one.albumId)).toBeUndefined();
    expect((await store.listOf(owner, { limit: 10 })).items).toEqual([]);
    // Its members are the deleted albums' queue's to delete (below).
    expect(await store.albumIdsOf(ids[0] as string)).toEqual([one.albumId]);
  });

  it("deletes a deleted album's members a page per message, each message sending the next, until none is left", async () => {
    const one = album(`emptier-${randomUUID().slice(0, 6)}`);
    await store.create(one);
    const ids = images(MEMBERS_PER_MESSAGE + 30);
    await store.addMembers(
      one.albumId,
      ids.map((imageId) => ({ imageId, takenKey: `2020-01-01T00:00:00#${imageId}` })),
      new Date().toISOString(),
    );
    const sent: DeletedAlbumMessage[] = [];
    const deps = {
      albums: store,
      people,
      queue: { send: async (message: DeletedAlbumMessage) => void sent.push(message) },
    };
    const member = `member-${randomUUID().slice(0, 6)}`;
    await people.put({ albumId: one.albumId, member, role: 'viewer', owner: one.owner, addedAt: one.createdAt });
    // While the album exists, a message deletes nothing.
    expect(await deleteAlbumMembers({ albumId: one.albumId }, deps)).toBe('album-exists');
    await store.delete(one);
    expect(await deleteAlbumMembers({ albumId: one.albumId }, deps)).toEqual({
      deleted: MEMBERS_PER_MESSAGE,
      more: true,
    });
    expect(sent).toHaveLength(1);
    // The next page starts after a member deleted already: its key is a place in the index all the same.
    const next = sent.shift() as DeletedAlbumMessage;
    expect(await deleteAlbumMembers(next, deps)).toEqual({ deleted: 30, more: false });
    expect(sent).toEqual([]);
    expect(await allIds(one.albumId, 'added', 100)).toEqual([]);
    // The owner it was shared with, taken off with the first page: no longer in their list.
    expect(await people.of(one.albumId)).toEqual([]);
    expect((await people.sharedWith(member, { limit: 10 })).items).toEqual([]);
    for (const imageId of [ids[0], ids[ids.length - 1]]) expect(await store.albumIdsOf(imageId as string)).toEqual([]);
    // Again, as a retried message: nothing is left, nothing fails.
    expect(await deleteAlbumMembers(next, deps)).toEqual({ deleted: 0, more: false });
  });

  it('renames an album and changes its order; one deleted meanwhile is a 404', async () => {
    const one = album('renamer');
    await store.create(one);
    const changed = await store.update(one.albumId, { name: 'Summer', order: 'taken' }, '2026-03-01T00:00:00.000Z');
    expect(changed).toMatchObject({
      albumId: one.albumId,
      name: 'Summer',
      order: 'taken',
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    await store.delete(one);
    await expect(store.update(one.albumId, { name: 'x' }, new Date().toISOString())).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('keeps the owners an album is shared with: read by key, listed by album, paged by member newest first', async () => {
    const member = `bob-${randomUUID().slice(0, 6)}`;
    const albums = [album('alice', '2026-01-01T00:00:00.000Z'), album('alice', '2026-01-02T00:00:00.000Z')];
    const added = ['2026-02-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z', '2026-02-03T00:00:00.000Z'];
    const third = album('carol', '2026-01-03T00:00:00.000Z');
    for (const [i, one] of [...albums, third].entries()) {
      await store.create(one);
      await people.put({ albumId: one.albumId, member, role: 'viewer', owner: one.owner, addedAt: added[i] as string });
    }
    await people.put({
      albumId: albums[0]?.albumId as string,
      member: 'dave',
      role: 'contributor',
      owner: 'alice',
      addedAt: '2026-02-04T00:00:00.000Z',
    });
    const first = albums[0] as Album;
    expect(await people.get(first.albumId, member)).toMatchObject({ member, role: 'viewer', owner: 'alice' });
    expect(await people.get(first.albumId, 'nobody')).toBeUndefined();
    expect((await people.of(first.albumId)).map((person) => [person.member, person.role])).toEqual([
      [member, 'viewer'],
      ['dave', 'contributor'],
    ]);
    // Their albums, newest shared first, a page of 2 then the rest by the cursor; another's cursor is refused.
    const page = await people.sharedWith(member, { limit: 2 });
    expect(page.items.map((item) => item.albumId)).toEqual([third.albumId, albums[1]?.albumId]);
    const rest = await people.sharedWith(member, { limit: 2, cursor: page.cursor });
    expect(rest.items.map((item) => item.albumId)).toEqual([first.albumId]);
    expect(rest.cursor).toBeUndefined();
    await expect(people.sharedWith('dave', { limit: 2, cursor: page.cursor })).rejects.toThrow();
    // A new role keeps its place; removed, it is gone from both sides; removing again says it was not there.
    await people.put({
      albumId: first.albumId,
      member,
      role: 'contributor',
      owner: 'alice',
      addedAt: added[0] as string,
    });
    expect((await people.sharedWith(member, { limit: 5 })).items.map((item) => item.role)).toEqual([
      'viewer',
      'viewer',
      'contributor',
    ]);
    expect(await people.remove(first.albumId, member)).toBe(true);
    expect(await people.remove(first.albumId, member)).toBe(false);
    expect((await people.sharedWith(member, { limit: 5 })).items).toHaveLength(2);
    expect((await people.of(first.albumId)).map((person) => person.member)).toEqual(['dave']);
  });
});
