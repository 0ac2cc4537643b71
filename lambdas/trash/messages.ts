import { z } from 'zod';
import { OwnerSchema } from '../store/owner';
import { LIST_SHARDS } from '../store/table-design';

/**
 * The trash queue's messages (docs/api.md, "Trash"). Each is one bounded piece of work, so no invocation loops over a
 * whole trash:
 * - `sweep`: the schedule's (an EventBridge rule, daily): one `shard` message per shard of the trash;
 * - `shard`: one page (PAGE_SIZE) of one shard of the trash, oldest first: each image due goes on as a `purge`,
 *   and the next page as another `shard` message with the page's `cursor`. Without `owner` it is everyone's trash
 *   (the schedule), due by its record's `purgeAt`; with `owner` that owner's (`POST /trash/empty`), every image
 *   trashed at or before `before`;
 * - `purge`: one image deleted for good, if it is still in the trash and still due (a restore in between wins).
 */
export const TrashMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sweep') }),
  z.object({
    kind: z.literal('shard'),
    shard: z
      .number()
      .int()
      .min(0)
      .max(LIST_SHARDS - 1),
    owner: OwnerSchema.optional(),
    before: z.iso.datetime().optional(),
    /** The last image id of the previous page. */
    cursor: z.string().optional(),
  }),
  z.object({ kind: z.literal('purge'), imageId: z.string(), before: z.iso.datetime().optional() }),
]);
export type TrashMessage = z.infer<typeof TrashMessageSchema>;

/** A `shard` or `purge` message's reach: the schedule's (due by `purgeAt`), or an owner's emptying (`before`). */
export type Reach = { owner?: undefined; before?: undefined } | { owner: string; before: string };

export function parseTrashMessage(body: string): TrashMessage {
  return TrashMessageSchema.parse(JSON.parse(body));
}

/** The messages of one owner's "empty the trash": every shard of their trash, up to now. */
export function emptyTrashMessages(owner: string, before: string): TrashMessage[] {
  return Array.from({ length: LIST_SHARDS }, (_, shard) => ({ kind: 'shard', shard, owner, before }));
}
