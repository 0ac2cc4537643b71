import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './page-cursor';
import type { Posting } from './search-index';
import { type ColorName, EVERY_IMAGE_TERM } from './search-terms';
import { LIST_SHARDS } from './table-design';

/** What `GET /images` can ask for beyond status: every filter ANDed. */
export interface SearchFilters {
  labels: string[];
  objects: string[];
  /** Every one of these normalised words must be in the OCR text. */
  words: string[];
  color?: ColorName;
  minFaces?: number;
  flagged?: boolean;
  format?: string;
  orientation?: string;
  camera?: string;
  status?: string;
  labelSource?: 'model' | 'user';
  /** EXIF date bounds, `YYYY-MM-DDTHH:MM:SS` (camera local time, as the record keeps it), inclusive. */
  takenAfter?: string;
  takenBefore?: string;
}

export interface SearchQuery {
  owner: string;
  filters: SearchFilters;
  limit: number;
  cursor?: string;
}

export interface SearchPage {
  items: Posting[];
  cursor?: string;
  /** Postings read to answer (the probes included): what the query cost, for metrics and the bench. */
  read: number;
}

/** The terms an image must have to match, each a posting key; none means every image (`all`). */
export function requiredTerms(filters: SearchFilters): string[] {
  const terms = [
    ...filters.labels.map((label) => `label=${label}`),
    ...filters.objects.map((object) => `object=${object}`),
    ...filters.words.map((word) => `word=${word}`),
  ];
  const single: Array<[string, string | boolean | undefined]> = [
    ['color', filters.color],
    ['flagged', filters.flagged],
    ['format', filters.format],
    ['orientation', filters.orientation],
    ['camera', filters.camera],
    ['status', filters.status],
    ['labelSource', filters.labelSource],
  ];
  for (const [field, value] of single) if (value !== undefined) terms.push(`${field}=${value}`);
  return terms.length > 0 ? [...new Set(terms)] : [EVERY_IMAGE_TERM];
}

/** Does a posting's image pass every filter? Terms from its facets, faces and date from its own attributes. */
export function matches(posting: Posting, required: readonly string[], filters: SearchFilters): boolean {
  const facets = new Set(posting.facets);
  if (!required.every((term) => term === EVERY_IMAGE_TERM || facets.has(term))) return false;
  if (filters.minFaces !== undefined && (posting.faces ?? 0) < filters.minFaces) return false;
  if (filters.takenAfter !== undefined && !(posting.takenAt && posting.takenAt >= filters.takenAfter)) return false;
  if (filters.takenBefore !== undefined && !(posting.takenAt && posting.takenAt <= filters.takenBefore)) return false;
  return true;
}

/** Postings read from one shard per round: small, so a page reads little beyond what it returns. */
const CHUNK = 4;
/** Postings a probe counts at most per term, to tell the most selective term. */
const PROBE = 24;

/**
 * One page of an owner's images matching every filter, newest first, from the search index:
 * 1. the terms required; if more than one, probe each (count up to PROBE postings of one shard: a sample of a
 *    sixteenth of the term) and drive by the rarest: the fewer postings it has, the fewer are read;
 * 2. read the driving term's 16 shards newest first, a few postings at a time each, merged lazily (the newest
 *    posting not yet taken is always at the head of some shard's buffer), checking each against the other
 *    filters from the posting itself (its facets, faces and date), until `limit` match or every shard is done;
 * 3. answer a cursor bound to the owner and the filters (the last id returned) while more may follow.
 * Never a Scan: every read is a Query on one key.
 */
export async function searchImages(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: SearchQuery,
): Promise<SearchPage> {
  const required = requiredTerms(query.filters);
  const fingerprint = fingerprintOf(query.owner, query.filters);
  const olderThan = query.cursor === undefined ? undefined : decodeCursor(query.cursor, { query: fingerprint });
  let read = 0;
  const countOf = async (term: string) => {
    const { Count = 0, ScannedCount = 0 } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'term = :pk',
        ExpressionAttributeValues: { ':pk': `${query.owner}#${term}#0` },
        Select: 'COUNT',
        Limit: PROBE,
      }),
    );
    read += ScannedCount;
    return Count;
  };
  const counts = required.length > 1 ? await Promise.all(required.map(countOf)) : [0];
  const drive = required[counts.indexOf(Math.min(...counts))] as string;

  const shards = Array.from({ length: LIST_SHARDS }, (_, shard) => ({
    key: `${query.owner}#${drive}#${shard}`,
    buffer: [] as Posting[],
    startKey: undefined as Record<string, unknown> | undefined,
    done: false,
  }));
  const refill = async (shard: (typeof shards)[number]) => {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: olderThan === undefined ? 'term = :pk' : 'term = :pk AND imageId < :older',
        ExpressionAttributeValues:
          olderThan === undefined ? { ':pk': shard.key } : { ':pk': shard.key, ':older': olderThan },
        ScanIndexForward: false,
        Limit: CHUNK,
        ExclusiveStartKey: shard.startKey,
      }),
    );
    read += Items.length;
    shard.buffer.push(...(Items as Posting[]));
    shard.startKey = LastEvaluatedKey;
    shard.done = LastEvaluatedKey === undefined;
  };

  const items: Posting[] = [];
  await Promise.all(shards.map(refill));
  while (items.length < query.limit) {
    // A shard whose buffer ran dry may still hold the newest posting left: refill those first.
    const dry = shards.filter((shard) => shard.buffer.length === 0 && !shard.done);
    if (dry.length > 0) {
      await Promise.all(dry.map(refill));
      continue;
    }
    const heads = shards.filter((shard) => shard.buffer.length > 0);
    if (heads.length === 0) break;
    const newest = heads.reduce((a, b) => ((a.buffer[0]?.imageId ?? '') > (b.buffer[0]?.imageId ?? '') ? a : b));
    const posting = newest.buffer.shift() as Posting;
    if (matches(posting, required, query.filters)) items.push(posting);
  }
  const more = shards.some((shard) => shard.buffer.length > 0 || !shard.done);
  const last = items.at(-1);
  return more && last && items.length === query.limit
    ? { items, cursor: encodeCursor({ query: fingerprint }, last.imageId), read }
    : { items, read };
}

/** What a cursor is bound to: the owner and the filters, hashed (the cursor stays short and says nothing). */
function fingerprintOf(owner: string, filters: SearchFilters): string {
  const canonical = JSON.stringify({
    owner,
    ...filters,
    labels: [...filters.labels].sort(),
    objects: [...filters.objects].sort(),
    words: [...filters.words].sort(),
  });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}
