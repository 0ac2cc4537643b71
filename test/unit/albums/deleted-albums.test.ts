import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { PageAsked } from '../../../lambdas/albums/album-store';
import {
  type DeletedAlbumMessage,
  deleteAlbumMembers,
  MEMBERS_PER_MESSAGE,
} from '../../../lambdas/albums/deleted-albums';
import type { Album } from '../../../lambdas/albums/schemas';

/*
 * A deleted album's members, deleted a page per message by delete-album-members: every page of a large album in turn
 * (each message sending the next), none of a live album's, a retried message harmless; and the handler's partial
 * batch failures (a failed message is retried alone).
 */

const ALBUM = 'al_0123456789abcdef0123';
const LIVE = 'al_ffffffffffffffffffff';

/** A store of members in order, paged by the index of their position, as memberPage pages by its cursor. */
class FakeStore {
  readonly members = new Map<string, string[]>();
  readonly albums = new Set<string>();
  deletes = 0;

  async get(albumId: string) {
    return this.albums.has(albumId) ? ({ albumId } as Album) : undefined;
  }
  async memberPage(albumId: string, _order: string, asked: PageAsked) {
    // The cursor is the last id of the page before: a deleted member is still a valid place to start after.
    const all = this.members.get(albumId) ?? [];
    const start = asked.cursor ? all.indexOf(asked.cursor) + 1 : 0;
    const ids = all.slice(start, start + asked.limit);
    const more = start + asked.limit < all.length;
    return more ? { ids, cursor: ids[ids.length - 1] } : { ids };
  }
  readonly gone = new Set<string>();
  async deleteMembers(_albumId: string, imageIds: readonly string[]) {
    this.deletes += 1;
    for (const id of imageIds) this.gone.add(id);
  }
}

function setup(members: number) {
  const albums = new FakeStore();
  albums.members.set(
    ALBUM,
    Array.from({ length: members }, (_, i) => `img-${String(i).padStart(6, '0')}`),
  );
  const sent: DeletedAlbumMessage[] = [];
  // Shared with bob: taken off with the first message only.
  const people = new Map([[ALBUM, ['bob']]]);
  const peopleRead: string[] = [];
  const deps = {
    albums,
    people: {
      of: async (albumId: string) => {
        peopleRead.push(albumId);
        return (people.get(albumId) ?? []).map((member) => ({
          albumId,
          member,
          role: 'viewer' as const,
          owner: 'alice',
          addedAt: '2026-11-28T08:00:00.000Z',
        }));
      },
      removeAll: async (albumId: string, members: readonly string[]) =>
        void people.set(
          albumId,
          (people.get(albumId) ?? []).filter((one) => !members.includes(one)),
        ),
    },
    queue: { send: async (m: DeletedAlbumMessage) => void sent.push(m) },
  };
  return { albums, sent, people, peopleRead, deps };
}

/** Every message handled as the queue would hand them over, until none is left. */
async function drain(first: DeletedAlbumMessage, deps: ReturnType<typeof setup>['deps'], sent: DeletedAlbumMessage[]) {
  let messages = 0;
  for (let next: DeletedAlbumMessage | undefined = first; next; next = sent.shift()) {
    await deleteAlbumMembers(next, deps);
    messages += 1;
  }
  return messages;
}

describe("the deleted albums' queue", () => {
  it('deletes a small album in one message, sending no other, and takes off the owners it was shared with', async () => {
    const { albums, sent, deps, people } = setup(3);
    expect(await deleteAlbumMembers({ albumId: ALBUM }, deps)).toEqual({ deleted: 3, more: false });
    expect(albums.gone.size).toBe(3);
    expect(sent).toEqual([]);
    expect(people.get(ALBUM)).toEqual([]);
  });

  it('reads whom it was shared with on the first message only, and not for an album that exists', async () => {
    const { sent, deps, peopleRead, albums } = setup(MEMBERS_PER_MESSAGE * 2 + 1);
    await deleteAlbumMembers({ albumId: ALBUM }, deps);
    await drain(sent.shift() as DeletedAlbumMessage, deps, sent);
    albums.albums.add(LIVE);
    await deleteAlbumMembers({ albumId: LIVE }, deps);
    expect(peopleRead).toEqual([ALBUM]);
  });

  it('deletes a large album a page per message, each sending the next, until every member is gone', async () => {
    const size = MEMBERS_PER_MESSAGE * 3 + 7;
    const { albums, sent, deps } = setup(size);
    const first = await deleteAlbumMembers({ albumId: ALBUM }, deps);
    expect(first).toEqual({ deleted: MEMBERS_PER_MESSAGE, more: true });
    expect(sent).toEqual([{ albumId: ALBUM, cursor: expect.any(String) }]);
    expect(await drain(sent.shift() as DeletedAlbumMessage, deps, sent)).toBe(3);
    expect(albums.gone.size).toBe(size);
  });

  it('deletes nothing of an album that exists: only its delete sends a message', async () => {
    const { albums, sent, deps } = setup(0);
    albums.albums.add(LIVE);
    albums.members.set(LIVE, ['img-1']);
    expect(await deleteAlbumMembers({ albumId: LIVE }, deps)).toBe('album-exists');
    expect([albums.gone.size, albums.deletes, sent.length]).toEqual([0, 0, 0]);
  });

  it('is safe to retry: a message handled twice deletes its page again and the album is still emptied', async () => {
    const { albums, sent, deps } = setup(MEMBERS_PER_MESSAGE + 1);
    await deleteAlbumMembers({ albumId: ALBUM }, deps);
    await deleteAlbumMembers({ albumId: ALBUM }, deps);
    expect(sent).toHaveLength(2);
    while (sent.length > 0) await deleteAlbumMembers(sent.shift() as DeletedAlbumMessage, deps);
    expect(albums.gone.size).toBe(MEMBERS_PER_MESSAGE + 1);
  });

  it('refuses a message that names no album id', () => {
    const { parseDeletedAlbumMessage } = require('../../../lambdas/albums/deleted-albums');
    expect(() => parseDeletedAlbumMessage(JSON.stringify({ albumId: '../x' }))).toThrow();
  });
});

describe('delete-album-members', () => {
  process.env.ALBUMS_TABLE = 'albums';
  process.env.DELETED_ALBUMS_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/deleted-albums';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const { handler } = require('../../../lambdas/albums/functions/delete-album-members/handler') as {
    handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  };
  const dynamo = mockClient(DynamoDBDocumentClient);
  const sqs = mockClient(SQSClient);
  const record = (messageId: string, body: string) => ({ messageId, body }) as SQSEvent['Records'][number];

  beforeEach(() => {
    dynamo.reset();
    sqs.reset();
    dynamo.on(GetCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [{ pk: `AL#${ALBUM}`, sk: 'I#img-1' }] });
    // Whom the album was shared with (its partition, not an index): no one.
    dynamo
      .on(QueryCommand, { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :people)' })
      .resolves({ Items: [] });
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    sqs.on(SendMessageCommand).resolves({});
  });

  it('deletes the page of a message, asking again for the members DynamoDB left unprocessed', async () => {
    const unprocessed = { albums: [{ DeleteRequest: { Key: { pk: `AL#${ALBUM}`, sk: 'I#img-1' } } }] };
    dynamo.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: unprocessed }).resolves({ UnprocessedItems: {} });
    const result = await handler({ Records: [record('m1', JSON.stringify({ albumId: ALBUM }))] }, {} as Context);
    expect(result.batchItemFailures).toEqual([]);
    const writes = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems);
    expect(writes).toEqual([unprocessed, unprocessed]);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('fails only the message that failed: a bad body and a table error, the other message done', async () => {
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':album': LIVE } }).rejects(new Error('throttled'));
    const result = await handler(
      {
        Records: [
          record('ok', JSON.stringify({ albumId: ALBUM })),
          record('bad', '{"albumId":"nope"}'),
          record('busy', JSON.stringify({ albumId: LIVE })),
        ],
      },
      {} as Context,
    );
    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['bad', 'busy']);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(1);
  });
});
