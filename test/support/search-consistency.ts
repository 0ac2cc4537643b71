import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { postingKey } from '../../lambdas/search/postings-design';

export interface IndexDifferences {
  /** Postings no record lists (left behind by a delete, a reprocess or a crash). */
  stale: string[];
  /** Terms a record lists without their posting. */
  missing: string[];
  /** Postings the records list, all told. */
  expected: number;
}

/**
 * Every record's `indexedTerms` against the search table, both read whole (a Scan is fine in a test): what the
 * index would answer wrongly. A record still `eventPending` is mid-write and would be finished by its retry, so a
 * caller should compare once the queue has drained (or, given `owner`, once that owner's records are final: only
 * its records and postings are compared, for a file on a shared runner).
 */
export async function indexDifferences(
  endpoint: string,
  tables: { table: string; searchTable: string },
  owner?: string,
): Promise<IndexDifferences> {
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
  );
  const expected = new Set<string>();
  for await (const page of paginateScan({ client: dynamo }, { TableName: tables.table })) {
    for (const item of page.Items ?? []) {
      if (owner !== undefined && item.owner !== owner) continue;
      for (const term of (item.indexedTerms as string[] | undefined) ?? []) {
        expected.add(`${postingKey(item.owner, term, item.imageId)} ${item.imageId}`);
      }
    }
  }
  const postings = new Set<string>();
  for await (const page of paginateScan({ client: dynamo }, { TableName: tables.searchTable })) {
    for (const item of page.Items ?? []) {
      if (owner === undefined || String(item.term).startsWith(`${owner}#`))
        postings.add(`${item.term} ${item.imageId}`);
    }
  }
  return {
    stale: [...postings].filter((posting) => !expected.has(posting)),
    missing: [...expected].filter((posting) => !postings.has(posting)),
    expected: expected.size,
  };
}
