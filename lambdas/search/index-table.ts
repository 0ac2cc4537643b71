import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ImageItem } from '../store/image-item';
import { type PostingsPage, searchImages } from './image-search';
import type { ISearchIndex, SearchQuery } from './index-port';
import { countedWrite, isCountedTerm } from './place-counts';
import { postedTerms, postingOf } from './postings';
import { type Posting, type PostingAttributes, postingKey, SEARCH_TABLE_DESIGN } from './postings-design';

/** BatchWriteItem takes 25 requests a call. */
const BATCH = 25;

/** Rounds of retrying what DynamoDB left unprocessed (throttling) before failing, which retries the message. */
const MAX_ROUNDS = 8;

/** Some postings could not be written or deleted after every retry. */
export class SearchIndexWriteError extends Error {
  override readonly name = 'SearchIndexWriteError';
}

/**
 * The search index as DynamoDB postings (postings-design.ts): the port's first implementation, and the hash-band
 * lookups of similar images. Writes are puts and deletes of whole postings, so repeating one (a retried message)
 * changes nothing.
 */
export class SearchIndex implements ISearchIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * Put a posting under each term it is indexed under (overwriting any from an earlier run), then drop the stale. The
   * place path's posting is put only if absent, with its counter (place-counts.ts).
   */
  async upsert(item: ImageItem): Promise<void> {
    if (item.owner === undefined) return;
    const { owner, imageId } = item;
    const [counted, terms] = split(item.indexedTerms ?? []);
    const names =
      item.place && (({ country, region, area, locality }) => ({ country, region, area, locality }))(item.place);
    await this.put(owner, imageId, terms, postingOf(item));
    for (const pathTerm of counted) {
      await countedWrite(this.client, this.tableName, { owner, imageId, pathTerm, names, delta: 1 });
    }
    await this.delete(owner, imageId, item.unindexTerms ?? []);
  }

  /** Delete every posting the record may have (missing ones are fine), but those `removed` had under the same owner. */
  async remove(item: ImageItem, removed?: ImageItem): Promise<void> {
    if (item.owner === undefined) return;
    const gone = removed?.owner === item.owner ? postedTerms(removed) : [];
    const terms = postedTerms(item).filter((term) => !gone.includes(term));
    await this.delete(item.owner, item.imageId, terms);
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

  private async put(owner: string, imageId: string, terms: readonly string[], attributes: PostingAttributes) {
    await this.write(
      terms.map((term) => ({
        PutRequest: { Item: { ...attributes, term: postingKey(owner, term, imageId), imageId } },
      })),
    );
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

  private async write(requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH) {
      let pending = requests.slice(i, i + BATCH);
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS) {
          throw new SearchIndexWriteError(`${pending.length} postings left unprocessed after ${MAX_ROUNDS} rounds`);
        }
        if (round > 0) await this.sleep(Math.min(1000, 25 * 2 ** round));
        const { UnprocessedItems } = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }
}

/** The counted terms (a place path: written one by one with their counter), and the rest (written in batches). */
function split(terms: readonly string[]): [string[], string[]] {
  return [terms.filter(isCountedTerm), terms.filter((one) => !isCountedTerm(one))];
}
