import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, type WriteRequest } from '../store/batch-write';
import { type ImageItem, isShown } from '../store/image-item';
import { type PostingsPage, searchImages } from './image-search';
import type { ISearchIndex, SearchQuery } from './index-port';
import { countedWrite, isCountedTerm } from './place-counts';
import { postedTerms, postingOf } from './postings';
import { type Posting, postingKey, SEARCH_TABLE_DESIGN } from './postings-design';

/** Rounds of retrying what DynamoDB left unprocessed (throttling) before failing, which retries the message. */
const MAX_ROUNDS = 8;

/** Some postings could not be written or deleted after every retry. */
export class SearchIndexWriteError extends Error {
  override readonly name = 'SearchIndexWriteError';
}

/** How often a write follows a record that keeps changing under it before it fails (and its message is retried). */
const VERIFY_ROUNDS = 4;

/** Where a writer reads the image's record, strongly consistent (ImageStore.get): what its postings are checked against. */
export interface RecordReader {
  get(imageId: string): Promise<ImageItem | undefined>;
}

export interface SearchIndexOptions {
  /** The image records; needed to write (`upsert`), not to search or remove. Default: none (a read-only index). */
  records?: RecordReader;
  /** How a retry waits. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The search index as DynamoDB postings (postings-design.ts): the port's first implementation, and the hash-band
 * lookups of similar images. Writes are puts and deletes of whole postings, so repeating one (a retried message)
 * changes nothing.
 *
 * A posting never outlives the record that carries it ("write, then verify"; docs/search.md). A writer puts its
 * postings, then reads the record (strongly consistent) and deletes those the record does not carry now: gone,
 * trashed, another owner's, or a later version without the term. A remover deletes the postings of the record as its
 * own atomic write of the record answered it (ReturnValues). Why that is enough, for one posting P a writer puts:
 * - the writer's read comes after the remover's record write: it sees the removal and deletes P, after P landed;
 * - it comes before: the record then carried P's term (else the writer deleted P), and any later write that drops
 *   the term knows it, since it answers (or was conditional on) the state it replaced; its deletes come after its
 *   record write, so after the writer's read, so after P landed.
 * Either way a delete of P follows P. The place path's posting and its counter move together (place-counts.ts:
 * put if absent with +1, delete if present with -1), so a counter ends exact in either order too.
 */
export class SearchIndex implements ISearchIndex {
  private readonly records: RecordReader | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: SearchIndexOptions = {},
  ) {
    this.records = options.records;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * 1. the postings of `replaced` (the record this write replaced, as the write answered it) that the item does not
   *    carry, under its owner: all of them when the owner changed (a re-own);
   * 2. a posting under each term the item is indexed under (overwriting any from an earlier run); the place path's
   *    only if absent, with its counter (place-counts.ts); then the item's stale terms (`unindexTerms`);
   * 3. verify: read the record; delete what step 2 put that it does not carry (the image was deleted, trashed or
   *    re-owned meanwhile, or a later version dropped the term); if a later version carries some of the same terms,
   *    those postings are written again from it (this writer's may have landed over its), and verified again.
   */
  async upsert(item: ImageItem, replaced?: ImageItem): Promise<void> {
    const records = this.records;
    if (!records) throw new Error('SearchIndex: writing needs the records to verify the postings against');
    if (replaced?.owner !== undefined) {
      const kept = replaced.owner === item.owner ? (item.indexedTerms ?? []) : [];
      await this.delete(
        replaced.owner,
        item.imageId,
        postedTerms(replaced).filter((one) => !kept.includes(one)),
      );
    }
    if (item.owner === undefined) return;
    // A locked (or trashed) image is in no search: a run that re-analyses it puts nothing, and takes away what an
    // earlier state left (its terms stay on the record, for the unlock's postings).
    if (!isShown(item))
      return this.delete(item.owner, item.imageId, [...postedTerms(item), ...(item.unindexTerms ?? [])]);
    const { owner, imageId } = item;
    let source = item;
    let written = item.indexedTerms ?? [];
    for (let round = 0; round < VERIFY_ROUNDS; round++) {
      await this.put(owner, source, written);
      if (round === 0) await this.delete(owner, imageId, item.unindexTerms ?? []);
      const record = await records.get(imageId);
      const carried = carriedTerms(record, owner);
      await this.delete(
        owner,
        imageId,
        written.filter((one) => !carried.includes(one)),
      );
      // Counted postings carry nothing to refresh: present is all they say.
      const again = written.filter((one) => carried.includes(one) && !isCountedTerm(one));
      if (record === undefined || again.length === 0 || record.updatedAt === source.updatedAt) return;
      source = record;
      written = again;
    }
    throw new SearchIndexWriteError(`image ${imageId} kept changing while its postings were being written`);
  }

  /**
   * Delete every posting the record may have (missing ones are fine). What makes a removal final is the record as the
   * remover's own write of it answered it (deleted: ALL_OLD; trashed: ALL_NEW; re-owned: upsert's `replaced`): a
   * writer whose postings land late has either written terms that answer carries, or reads the removal when it
   * verifies. A removal from a record read before that write (the delete's and the re-own's) is only a first pass.
   */
  async remove(item: ImageItem): Promise<void> {
    if (item.owner === undefined) return;
    await this.delete(item.owner, item.imageId, postedTerms(item));
  }

  /** Merges the posting lists of the query's terms (image-search.ts). */
  search(query: SearchQuery): Promise<PostingsPage> {
    return searchImages(this.client, this.tableName, query);
  }

  /** Every posting under one unsharded term (a hash band value or the bytes), up to `limit`. */
  async postings(owner: string, term: string, limit: number): Promise<Posting[]> {
    const items: Posting[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': SEARCH_TABLE_DESIGN.partitionKey },
          ExpressionAttributeValues: { ':pk': `${owner}#${term}` },
          ScanIndexForward: false,
          Limit: limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(Items as Posting[]));
      startKey = LastEvaluatedKey;
    } while (startKey !== undefined && items.length < limit);
    return items;
  }

  /** A posting under each of `all` from the record `item`: the place path's with its counter, the rest in batches. */
  private async put(owner: string, item: ImageItem, all: readonly string[]) {
    const { imageId } = item;
    const [counted, terms] = split(all);
    const attributes = postingOf(item);
    await this.write(
      terms.map((term) => ({
        PutRequest: { Item: { ...attributes, term: postingKey(owner, term, imageId), imageId } },
      })),
    );
    const names =
      item.place && (({ country, region, area, locality }) => ({ country, region, area, locality }))(item.place);
    for (const pathTerm of counted) {
      await countedWrite(this.client, this.tableName, { owner, imageId, pathTerm, names, delta: 1 });
    }
  }

  private async delete(owner: string, imageId: string, all: readonly string[]) {
    const [counted, terms] = split(all);
    for (const pathTerm of counted) {
      await countedWrite(this.client, this.tableName, { owner, imageId, pathTerm, delta: -1 });
    }
    await this.write(
      terms.map((term) => ({ DeleteRequest: { Key: { term: postingKey(owner, term, imageId), imageId } } })),
    );
  }

  private async write(requests: readonly WriteRequest[]): Promise<void> {
    await batchWrite(this.client, this.tableName, requests, {
      rounds: MAX_ROUNDS,
      leftOver: (left) => new SearchIndexWriteError(`${left} postings left unprocessed after ${MAX_ROUNDS} rounds`),
      sleep: this.sleep,
    });
  }
}

/**
 * The terms whose postings the record carries for `owner`: none when it is gone, trashed, locked or another owner's.
 */
function carriedTerms(record: ImageItem | undefined, owner: string): string[] {
  if (record === undefined || record.owner !== owner || !isShown(record)) return [];
  return record.indexedTerms ?? [];
}

/** The counted terms (a place path: written one by one with their counter), and the rest (written in batches). */
function split(terms: readonly string[]): [string[], string[]] {
  return [terms.filter(isCountedTerm), terms.filter((one) => !isCountedTerm(one))];
}
