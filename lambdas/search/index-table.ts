import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TileDetails } from '../store/image-view';
import { shardOf } from '../store/list-shards';
import { SEARCH_SHARDS, SEARCH_TABLE_DESIGN } from '../store/table-design';

/** What each posting carries besides its key, so a query can check an image without reading its record. */
export interface PostingAttributes {
  phash?: string;
  sha256?: string;
  /** The image's terms but its hash bands and bytes, for checking the other filters of a query. */
  facets: string[];
  faces?: number;
  takenAt?: string;
  /** What a result page shows of the image, so a search answers without reading the records. */
  summary?: PostingSummary;
}

/** An image as a search result shows it: the list's summary, plus what a gallery tile needs. */
export interface PostingSummary extends TileDetails {
  status: string;
  createdAt: string;
  updatedAt: string;
  filename?: string;
  contentType?: string;
  size?: number;
}

export type Posting = PostingAttributes & { term: string; imageId: string };

/** Terms whose postings are not sharded: a hash band or the bytes are shared only by near-identical images. */
function unsharded(term: string): boolean {
  return term.startsWith('phash') || term.startsWith('sha256=');
}

/** Which of its term's SEARCH_SHARDS lists an image's posting is in: its list shard, folded (16 is a multiple of 4). */
export function searchShardOf(imageId: string): number {
  return shardOf(imageId) % SEARCH_SHARDS;
}

/** The partition key value of an owner's posting of `term` for `imageId`. */
export function postingKey(owner: string, term: string, imageId: string): string {
  return unsharded(term) ? `${owner}#${term}` : `${owner}#${term}#${searchShardOf(imageId)}`;
}

/** BatchWriteItem takes 25 requests a call. */
const BATCH = 25;

/** Rounds of retrying what DynamoDB left unprocessed (throttling) before failing, which retries the message. */
const MAX_ROUNDS = 8;

/** Some postings could not be written or deleted after every retry. */
export class SearchIndexWriteError extends Error {
  override readonly name = 'SearchIndexWriteError';
}

/**
 * The search index table, behind what the processor, the delete route and the search routes need. Writes are puts
 * and deletes of whole postings, so repeating one (a retried message) changes nothing.
 */
export class SearchIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Put a posting of `imageId` under each term (overwriting any from an earlier run). */
  async put(owner: string, imageId: string, terms: readonly string[], attributes: PostingAttributes): Promise<void> {
    await this.write(
      terms.map((term) => ({
        PutRequest: { Item: { ...attributes, term: postingKey(owner, term, imageId), imageId } },
      })),
    );
  }

  /** Delete the postings of `imageId` under these terms (missing ones are fine). */
  async remove(owner: string, imageId: string, terms: readonly string[]): Promise<void> {
    await this.write(
      terms.map((term) => ({ DeleteRequest: { Key: { term: postingKey(owner, term, imageId), imageId } } })),
    );
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
