import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { WINDOW_NAMES, type WindowHashes, type WindowName } from '../core/analysis/windows';
import { batchGetKeys } from '../store/batch-get';
import { type PostedHash, postedBands } from './near';
import { bandKey, MAX_BAND_ENTRIES } from './table-design';

/** Band values read at once per BatchGetItem run: 100 keys a call, this many calls in flight. */
const PROBE_CONCURRENCY = 8;
/** BatchGetItem rounds for the keys DynamoDB leaves unprocessed. */
export const ROUNDS = 4;

const entryOf = (imageId: string, window: WindowName, hash: string) =>
  `${imageId}/${WINDOW_NAMES.indexOf(window)}/${hash}`;

function parseEntry(entry: string): PostedHash | undefined {
  const [imageId, index, hash] = entry.split('/');
  const window = WINDOW_NAMES[Number(index)];
  return imageId && window && hash ? { imageId, window, hash } : undefined;
}

/** A string set as the document client reads it (a Set), or a list a test wrote. */
export const strings = (value: unknown): string[] =>
  value instanceof Set ? [...value].map(String) : Array.isArray(value) ? value.map(String) : [];

export function ignoreConditionFailed(error: unknown): void {
  if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
}

/**
 * The band values of the near-duplicates table (table-design.ts): each photo's window hashes posted under the owner's
 * band values they fall in, and read back by the values a photo probes (near.ts). The store of photos and clusters
 * (duplicate-store.ts) is this with its own items.
 */
export class BandPostings {
  constructor(
    protected readonly dynamo: Pick<DynamoDBDocumentClient, 'send'>,
    protected readonly tableName: string,
  ) {}

  /**
   * Post each hash under its 4 band values (idempotent: a string set). A value holding MAX_BAND_ENTRIES already is
   * left as it is. Answers how many values were full.
   */
  async post(owner: string, imageId: string, hashes: WindowHashes): Promise<number> {
    let full = 0;
    await Promise.all(
      [...postedBands(hashes)].map(async ([band, windows]) => {
        const entries = new Set(windows.map((window) => entryOf(imageId, window, hashes[window])));
        try {
          await this.dynamo.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: bandKey(owner, band),
              UpdateExpression: 'ADD entries :entries',
              ConditionExpression: 'attribute_not_exists(entries) OR size(entries) < :cap',
              ExpressionAttributeValues: { ':entries': entries, ':cap': MAX_BAND_ENTRIES },
            }),
          );
        } catch (error) {
          ignoreConditionFailed(error);
          full++;
        }
      }),
    );
    return full;
  }

  /** Take a photo's hashes off their band values (idempotent). */
  async unpost(owner: string, imageId: string, hashes: WindowHashes): Promise<void> {
    await Promise.all(
      [...postedBands(hashes)].map(([band, windows]) =>
        this.dynamo.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: bandKey(owner, band),
            UpdateExpression: 'DELETE entries :entries',
            ExpressionAttributeValues: {
              ':entries': new Set(windows.map((window) => entryOf(imageId, window, hashes[window]))),
            },
          }),
        ),
      ),
    );
  }

  /** Every hash posted under these band values of the owner's (`<band>=<4 hex>`). */
  async probe(owner: string, bands: readonly string[]): Promise<PostedHash[]> {
    const keys = bands.map((band) => bandKey(owner, band));
    const chunk = Math.ceil(keys.length / PROBE_CONCURRENCY / 100) * 100 || 100;
    const parts = await Promise.all(
      Array.from({ length: Math.ceil(keys.length / chunk) }, (_, i) =>
        batchGetKeys(this.dynamo, this.tableName, keys.slice(i * chunk, (i + 1) * chunk), { rounds: ROUNDS }),
      ),
    );
    const left = parts.reduce((sum, part) => sum + part.unprocessed.length, 0);
    if (left > 0) throw new Error(`${left} band values of the duplicates table left unread`);
    return parts.flatMap((part) =>
      part.found.flatMap((item) => strings(item.entries).flatMap((entry) => parseEntry(entry) ?? [])),
    );
  }
}
