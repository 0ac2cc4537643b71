import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import type { AlbumPeople } from './album-people';
import type { AlbumStore } from './album-store';
import { ALBUM_ID_PATTERN } from './schemas';

/*
 * A deleted album's members, deleted after it (docs/api.md#albums): `DELETE /albums/{id}` deletes the album and its
 * owner's count of it, and sends one message; delete-album-members deletes one page of the members a message names
 * and sends the next page's, so no invocation loops over an album of 100,000 images.
 */

/** Members deleted per message: one Query of the members' index (keys only), then BatchWriteItem deletes of 25. */
export const MEMBERS_PER_MESSAGE = 500;

/** A page of a deleted album's members: the first (no cursor), or the one after the cursor's. */
export const DeletedAlbumMessageSchema = z.strictObject({
  albumId: z.string().regex(ALBUM_ID_PATTERN),
  /** The members' page cursor (AlbumStore.memberPage, newest added first): bound to this album. */
  cursor: z.string().optional(),
});
export type DeletedAlbumMessage = z.infer<typeof DeletedAlbumMessageSchema>;

export function parseDeletedAlbumMessage(body: string): DeletedAlbumMessage {
  return DeletedAlbumMessageSchema.parse(JSON.parse(body));
}

/** The deleted albums' queue, as the delete route and the consumer write to it. */
export interface DeletedAlbumsQueue {
  send(message: DeletedAlbumMessage): Promise<void>;
}

export class SqsDeletedAlbumsQueue implements DeletedAlbumsQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: DeletedAlbumMessage): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
  }
}

export interface DeletedAlbumDeps {
  albums: Pick<AlbumStore, 'get' | 'memberPage' | 'deleteMembers'>;
  /** The owners it was shared with (album-sharing.ts): taken off with the first page. */
  people: Pick<AlbumPeople, 'of' | 'removeAll'>;
  queue: DeletedAlbumsQueue;
}

export type DeletedAlbumOutcome = { deleted: number; more: boolean } | 'album-exists';

/**
 * One message of the deleted albums' queue:
 * 1. the album must be gone (read consistently): a message naming one that exists deletes nothing, since only its
 *    delete sends one;
 * 2. with the first message, the owners it was shared with (one Query of its partition, at most 50) taken off, so
 *    it leaves their "shared with me";
 * 3. one page of its members by the `byAlbumAdded` index, from the message's cursor, deleted (BatchWriteItem);
 * 4. while more may follow, the next page's message sent, after the deletes: a retried message deletes its page
 *    again (no error for a member gone) and may send the next twice, which deletes nothing twice over.
 */
export async function deleteAlbumMembers(
  message: DeletedAlbumMessage,
  deps: DeletedAlbumDeps,
): Promise<DeletedAlbumOutcome> {
  const { albumId, cursor } = message;
  if (await deps.albums.get(albumId)) return 'album-exists';
  if (cursor === undefined) {
    const people = await deps.people.of(albumId);
    if (people.length > 0)
      await deps.people.removeAll(
        albumId,
        people.map((person) => person.member),
      );
  }
  const page = await deps.albums.memberPage(albumId, 'added', { cursor, limit: MEMBERS_PER_MESSAGE });
  if (page.ids.length > 0) await deps.albums.deleteMembers(albumId, page.ids);
  if (page.cursor) await deps.queue.send({ albumId, cursor: page.cursor });
  return { deleted: page.ids.length, more: page.cursor !== undefined };
}
