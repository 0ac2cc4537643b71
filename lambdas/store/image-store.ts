import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { readStacking, readSummaries, readTiles, type Stacking, type SummaryAttributes } from './batch-reads';
import { ownerFieldsUpdate, updateImageIf } from './conditional-update';
import { askEdit, type EditAsk, type EditAsked, unmarkEditSent } from './edit-ask';
import { type FinaliseAsked, finalCondition } from './final-condition';
import { type ImageItem, ImageItemSchema, PROCESSING_FIELDS } from './image-item';
import { type ListPage, type ListQuery, listImagePage } from './image-list';
import type { TileDetails } from './image-view';
import { ownerSha256, shardAttributes } from './list-shards';
import type { ReanalysingEdit } from './reanalysing-edit';
import { TABLE_DESIGN } from './table-design';
import { timelineAttributes } from './timeline-key';
import { listTimelinePage, type TimelinePage, type TimelineQuery } from './timeline-list';
import { metadataAttribute } from './upload-metadata';

export type { Stacking, SummaryAttributes } from './batch-reads';
export type { ListPage, ListQuery } from './image-list';
export { InvalidCursorError } from './page-cursor';
export type { TimelinePage, TimelineQuery } from './timeline-list';

/**
 * The results table, behind the operations the handlers need. Every write that finalises an image is
 * conditional on the object version (ETag), which is what makes replayed and duplicated events harmless.
 * Every write that sets a status also sets the list index keys for it (`listShard`, `statusShard`, and the owner's
 * `ownerShard`, `ownerStatusShard`), here rather than in the callers, so no write can leave an image listed under a
 * status it no longer has. So does its place in the owner's timeline (`takenKey`, `takenAt`): the upload's time on
 * the PENDING item, the date taken once a final state knows it. An image's owner is set by its first write and changes only by a backfill's re-own: every
 * other write is conditional on it, so a write that does not know the owner cannot leave the owner's keys stale.
 */
export class ImageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(imageId: string): Promise<ImageItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { imageId }, ConsistentRead: true }),
    );
    return Item ? ImageItemSchema.parse(Item) : undefined;
  }

  /** Record an upload URL handed out; fails if the id exists (ULIDs do not collide, so that is a bug). */
  async createPending(item: ImageItem): Promise<void> {
    const metadata = metadataAttribute(item.metadata);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...item,
          metadata,
          ...shardAttributes(item.imageId, item.status, item.owner),
          ...timelineAttributes(item),
        },
        ConditionExpression: 'attribute_not_exists(imageId)',
      }),
    );
  }

  /**
   * Write the final state of one object version, keeping what the upload recorded (filename, content type, tags,
   * metadata, createdAt). Returns false, writing nothing, when this version is already final (a duplicate delivery),
   * or when `item.owner` is not the owner the record has (a caller that could not read it must not guess); what a
   * re-analysis, a re-cluster or a re-own replaces besides is finalCondition's. A re-analysing `run` is recorded
   * as `reprocessedBy`.
   */
  async finalise(item: ImageItem, options: FinaliseAsked = {}): Promise<boolean> {
    return (await this.finaliseReplacing(item, options)) !== false;
  }

  /**
   * finalise, answering the record it replaced as the write found it (ALL_OLD: undefined when there was none), or
   * false when it wrote nothing. Its write is not conditional on the version the run read, so this is what tells the
   * search index which postings the write made stale (a correction or a re-own meanwhile).
   */
  async finaliseReplacing(item: ImageItem, options: FinaliseAsked = {}): Promise<false | { replaced?: ImageItem }> {
    const { imageId, createdAt, filename, contentType, tags, metadata, labelCorrections, ...owners } = item;
    const { takenCorrection, favourite, rotation, crop, archived, locked, stack: _stack, stackedIn, ...kept } = owners;
    const { stackPrimary: _stackPrimary, ...rest } = kept;
    const contentKey =
      item.owner !== undefined && item.sha256 !== undefined
        ? { ownerSha256: ownerSha256(item.owner, item.sha256) }
        : {};
    const written: Record<string, unknown> = {
      ...rest,
      ...(options.run !== undefined && { reprocessedBy: options.run }),
      // Filed as archived, locked, stacked or none as the run read it; the write's condition requires that still
      // (final-condition.ts). The stack itself is the stacks room's to write, never a run's.
      ...shardAttributes(imageId, item.status, item.owner, { archived, locked, stackedIn }),
      ...timelineAttributes(item),
      ...contentKey,
    };
    const fields = Object.entries(written).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = fields.map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    // What the upload recorded, and what people said of the image since (its labels, tags, date taken, favourite,
    // rotation, crop): a processing run never rewrites them.
    const keep = {
      createdAt,
      filename,
      contentType,
      tags,
      metadata: metadataAttribute(metadata),
      labelCorrections,
      takenCorrection,
      favourite,
      rotation,
      crop,
    };
    for (const [name, value] of Object.entries(keep)) {
      if (value === undefined) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = if_not_exists(#${name}, :${name})`);
    }
    // Whatever an earlier state of the item said that this one does not is removed, not left stale.
    const cleared = [...PROCESSING_FIELDS, 'listShard']
      .filter((name) => written[name] === undefined)
      .map((name) => {
        names[`#r_${name}`] = name;
        return `#r_${name}`;
      });
    const condition = finalCondition(item, options, names, values);
    const update = { sets, removes: cleared, condition, names, values };
    const old = await updateImageIf(this.client, this.tableName, imageId, update, 'ALL_OLD');
    if (old === false) return false;
    return old === undefined ? {} : { replaced: ImageItemSchema.parse(old) };
  }

  /** Record that an attempt failed for good (last SQS receive); never overwrites a final state. */
  async markFailed(item: ImageItem): Promise<boolean> {
    return this.finalise({ ...item, status: 'FAILED' });
  }

  /** The event for this item's final state has been published (and its old postings removed). */
  async clearEventPending(imageId: string, etag: string | undefined): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId },
          UpdateExpression: 'REMOVE eventPending, eventPendingFrom, unindexTerms',
          ConditionExpression: etag === undefined ? 'attribute_exists(imageId)' : 'etag = :etag',
          ExpressionAttributeValues: etag === undefined ? undefined : { ':etag': etag },
        }),
      );
    } catch (error) {
      // A newer version or a delete got there first; its own flow owns the flag now.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The owner's oldest other image with these bytes: another owner's images are never named. */
  async findDuplicate(owner: string, sha256: string, imageId: string): Promise<string | undefined> {
    const index = TABLE_DESIGN.indexes.byOwnerSha256;
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#sha = :sha AND #id < :id',
        ExpressionAttributeNames: { '#sha': index.partitionKey, '#id': index.sortKey },
        ExpressionAttributeValues: { ':sha': ownerSha256(owner, sha256), ':id': imageId },
        ScanIndexForward: true,
        Limit: 1,
      }),
    );
    return Items[0]?.imageId as string | undefined;
  }

  /** One page of summaries, newest first, from the sharded list indexes; `cursor` is present while more may follow. */
  async list(query: ListQuery): Promise<ListPage> {
    return listImagePage(this.client, this.tableName, query);
  }

  /** One page of an owner's images by date taken, newest first (`byOwnerTakenSharded`, timeline-list.ts). */
  async timeline(query: TimelineQuery): Promise<TimelinePage> {
    return listTimelinePage(this.client, this.tableName, query);
  }

  /** What a gallery tile shows of each of these images beyond the list index's fields (batch-reads.ts). */
  async tiles(imageIds: readonly string[]): Promise<Map<string, TileDetails>> {
    return readTiles(this.client, this.tableName, imageIds);
  }

  /** The same with what a list page's summary says and the owner; with `taken`, when each was taken too. */
  async summaries(
    imageIds: readonly string[],
    options: { taken?: boolean } = {},
  ): Promise<Map<string, TileDetails & SummaryAttributes>> {
    return readSummaries(this.client, this.tableName, imageIds, options);
  }

  /** Where each of these images stands in a stack as its record says now (batch-reads.ts). */
  async stacking(imageIds: readonly string[]): Promise<Map<string, Stacking>> {
    return readStacking(this.client, this.tableName, imageIds);
  }

  /**
   * Record label corrections and the terms they make, if the item is still as it was read (`updatedAt`); false
   * when something else wrote it in between (the caller reads again or says so).
   */
  async correctLabels(
    item: Pick<ImageItem, 'imageId' | 'updatedAt' | 'labelCorrections' | 'indexedTerms' | 'unindexTerms'>,
    seenUpdatedAt: string,
  ): Promise<boolean> {
    return this.writeFieldsIf(item, { labelCorrections: item.labelCorrections }, seenUpdatedAt);
  }

  /**
   * Write an image's people as its owner corrected them (a face taken out of a person: docs/people.md) and the terms
   * they make, if the record is as it was read; false when it changed meanwhile (read it again).
   */
  async correctPeople(
    item: Pick<ImageItem, 'imageId' | 'updatedAt' | 'people' | 'indexedTerms' | 'unindexTerms'>,
    seenUpdatedAt: string,
  ): Promise<boolean> {
    return this.writeFieldsIf(item, { people: item.people }, seenUpdatedAt);
  }

  /**
   * Write where an image was taken as its owner's correction (or a re-geocoding) leaves it: the correction, the
   * position and the place, each removed when absent, and the terms they make, if the record is as it was read;
   * false when it changed meanwhile (read it again).
   */
  async correctPlace(
    item: Pick<
      ImageItem,
      'imageId' | 'updatedAt' | 'placeCorrection' | 'position' | 'place' | 'indexedTerms' | 'unindexTerms'
    >,
    seenUpdatedAt: string,
  ): Promise<boolean> {
    const fields = { placeCorrection: item.placeCorrection, position: item.position, place: item.place };
    return this.writeFieldsIf(item, fields, seenUpdatedAt);
  }

  /**
   * Write what an image's owner changed of it (its tags, date taken, favourite: `PATCH /images/{id}/tags`, `PUT
   * .../taken`, `PUT .../favourite`), its place in the timeline (`takenKey`, `takenAt`) and the terms they make, if the
   * record is as it was read; false when it changed meanwhile (read it again). Nothing else of the record is written.
   */
  async editImage(
    item: Pick<
      ImageItem,
      | 'imageId'
      | 'createdAt'
      | 'updatedAt'
      | 'analysis'
      | 'tags'
      | 'takenCorrection'
      | 'favourite'
      | 'indexedTerms'
      | 'unindexTerms'
    >,
    seenUpdatedAt: string,
  ): Promise<boolean> {
    const { takenKey, takenAt } = timelineAttributes(item);
    const fields = {
      tags: item.tags,
      takenCorrection: item.takenCorrection,
      favourite: item.favourite,
      takenKey,
      takenAt,
    };
    return this.writeFieldsIf(item, fields, seenUpdatedAt);
  }

  /**
   * Archive an image or bring it back (`PUT /images/{id}/archived`): `archived` and its list keys (list-shards.ts)
   * written together, so it leaves (or rejoins) the timeline and the default lists in the same write, if the record
   * is as it was read; false when it changed meanwhile (read it again). Nothing else of the record is written.
   */
  async setArchived(
    item: Pick<ImageItem, 'imageId' | 'status' | 'owner' | 'updatedAt' | 'archived' | 'indexedTerms' | 'unindexTerms'>,
    seenUpdatedAt: string,
  ): Promise<boolean> {
    if (item.owner === undefined) throw new Error(`image ${item.imageId} has no owner: it has no archive`);
    // A locked image stays filed in the locked folder: its archive is what an unlock puts it back in.
    const { listShard, ownerShard } = shardAttributes(item.imageId, item.status, item.owner, item);
    return this.writeFieldsIf(item, { archived: item.archived, listShard, ownerShard }, seenUpdatedAt);
  }

  /**
   * Lock an image or unlock it (`PUT /images/{id}/locked`): `locked` and every list key (list-shards.ts: its status
   * keys too) written together, so it leaves (or rejoins) every list in the same write, if the record is as it was
   * read; false when it changed meanwhile (read it again). Unlocked, it is filed as its `archived` says.
   */
  async setLocked(
    item: Pick<
      ImageItem,
      'imageId' | 'status' | 'owner' | 'updatedAt' | 'archived' | 'locked' | 'indexedTerms' | 'unindexTerms'
    >,
    seenUpdatedAt: string,
  ): Promise<boolean> {
    if (item.owner === undefined) throw new Error(`image ${item.imageId} has no owner: it has no locked folder`);
    const keys = shardAttributes(item.imageId, item.status, item.owner, item);
    const { listShard, statusShard, ownerShard, ownerStatusShard } = keys;
    const fields = { locked: item.locked, listShard, statusShard, ownerShard, ownerStatusShard };
    return this.writeFieldsIf(item, fields, seenUpdatedAt);
  }

  /**
   * Ask for an edit that re-analyses the image (`PUT /images/{id}/rotation`, `.../crop`): its value and this request's
   * message written in one conditional update, so that of any number of requests at once only the one answered
   * `changed` or `resend` sends the image to be analysed again (edit-ask.ts). Nothing else of the record is written.
   */
  async askEdit<V>(edit: ReanalysingEdit<V>, ask: EditAsk<V>): Promise<EditAsked> {
    return askEdit(this.client, this.tableName, edit, ask);
  }

  /** The edit's message `sent` could not be sent: its mark comes off, if it is still that one (edit-ask.ts). */
  async unmarkEditSent(edit: ReanalysingEdit<unknown>, imageId: string, sent: EditAsk<unknown>['sent']): Promise<void> {
    await unmarkEditSent(this.client, this.tableName, edit, imageId, sent);
  }

  /** An owner's change of some fields, with the terms they make, if the record is as it was read. */
  private async writeFieldsIf(
    item: Pick<ImageItem, 'imageId' | 'updatedAt' | 'indexedTerms' | 'unindexTerms'>,
    fields: Record<string, unknown>,
    seenUpdatedAt: string,
  ): Promise<boolean> {
    const update = ownerFieldsUpdate(item, fields, seenUpdatedAt);
    return (await updateImageIf(this.client, this.tableName, item.imageId, update)) !== false;
  }

  /** The postings of an earlier set of terms are gone. */
  async clearUnindexTerms(imageId: string, updatedAt: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId },
          UpdateExpression: 'REMOVE unindexTerms',
          ConditionExpression: 'updatedAt = :at',
          ExpressionAttributeValues: { ':at': updatedAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Remove the item; returns what was deleted, or undefined if there was nothing. */
  async delete(imageId: string): Promise<ImageItem | undefined> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { imageId }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? ImageItemSchema.parse(Attributes) : undefined;
  }
}
