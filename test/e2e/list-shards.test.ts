import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { UploadTicket } from '../../lambdas/cli/api-client';
import { shardOf } from '../../lambdas/store/list-shards';
import { clientsFor } from './support';
import { loadTarget } from './target';

const target = loadTarget();
const { api, dynamodb } = clientsFor(target);
const UPLOADS = 1_000;
// A bound on waits, not a timed assertion: moto answers a GSI query by walking the whole table, so paging 16 shards
// through the 2,000-odd items the shared runner holds took over 120 s on 2 cores busy with the rest of the suite.
jest.setTimeout(360_000);

interface Stored {
  imageId: string;
  status: string;
  listShard?: string;
  statusShard?: string;
}

/** Ask for `count` uploads (PENDING items; nothing is sent to S3), 25 requests at a time. */
async function createUploads(count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 25 }, async () => {
      while (next < count) {
        const i = next++;
        const ticket = (await api.call('POST', '/uploads', {
          contentType: 'image/png',
          size: 1000 + i,
          filename: `shard-${i}.png`,
        })) as UploadTicket;
        ids.push(ticket.imageId);
      }
    }),
  );
  return ids;
}

/** Every item of the table, with its list keys. */
async function scanTable(): Promise<Stored[]> {
  const items: Stored[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: target.table,
        ProjectionExpression: 'imageId, #status, listShard, statusShard',
        ExpressionAttributeNames: { '#status': 'status' },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as Stored[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The largest share of `items` any one value of `key` holds. */
function maxShare(items: Stored[], key: 'listShard' | 'statusShard'): { value: string; share: number } {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(String(item[key]), (counts.get(String(item[key])) ?? 0) + 1);
  const [value, count] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
  return { value, share: count / items.length };
}

/** Every page of GET /images (with a status, if given), as the API answers them. */
async function pageThrough(query: { status?: string; limit: number }) {
  const pages: { imageId: string; status: string; [field: string]: unknown }[][] = [];
  let cursor: string | undefined;
  do {
    const page = await api.list({ ...query, cursor });
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 1_000);
  return pages;
}

const newestFirst = (ids: string[]) => [...ids].sort().reverse();

describe('the list indexes at 1,000 uploads', () => {
  let ours: string[];
  let stored: Stored[];
  beforeAll(async () => {
    const started = Date.now();
    ours = await createUploads(UPLOADS);
    const uploaded = Date.now();
    stored = await scanTable();
    console.log(
      `list shards: ${UPLOADS} POST /uploads in ${((uploaded - started) / 1000).toFixed(1)} s; ` +
        `table scanned in ${((Date.now() - uploaded) / 1000).toFixed(1)} s (${stored.length} items)`,
    );
  });

  // Asserted where there are at least 1,000 items (all, and PENDING): with ~60 expected per shard, 1/8 is 8 standard
  // deviations away. The few other statuses the rest of the suite leaves are only logged: with 100 items, a
  // shard over 1/8 would happen by chance.
  it('spreads the items so that no list key value holds more than 1/8 of them', () => {
    const mine = new Set(ours);
    const uploads = stored.filter((item) => mine.has(item.imageId));
    expect(uploads).toHaveLength(UPLOADS);
    for (const item of uploads) {
      expect(item).toMatchObject({
        status: 'PENDING',
        listShard: `IMAGE#${shardOf(item.imageId)}`,
        statusShard: `PENDING#${shardOf(item.imageId)}`,
      });
    }
    const all = maxShare(stored, 'listShard');
    const byStatus = ['PENDING', 'PROCESSED', 'REJECTED', 'FAILED'].map((status) => {
      const items = stored.filter((item) => item.status === status);
      return { status, count: items.length, ...(items.length ? maxShare(items, 'statusShard') : { share: 0 }) };
    });
    console.log(
      `list shards: largest listShard ${all.value} holds ${(all.share * 100).toFixed(1)} % of ${stored.length} items; ` +
        byStatus
          .filter((s) => s.count > 0)
          .map((s) => `largest ${s.status} shard ${(s.share * 100).toFixed(1)} % of ${s.count}`)
          .join(', '),
    );
    expect(all.share).toBeLessThanOrEqual(1 / 8);
    const pending = byStatus.find((s) => s.status === 'PENDING');
    expect(pending?.count).toBeGreaterThanOrEqual(UPLOADS);
    expect(pending?.share).toBeLessThanOrEqual(1 / 8);
  });

  it('pages through GET /images newest first across the shards, with no duplicates or gaps', async () => {
    const pages = await pageThrough({ limit: 100 });
    const listed = pages.flat().map((item) => item.imageId);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(newestFirst(listed));
    const mine = new Set(ours);
    expect(listed.filter((id) => mine.has(id))).toEqual(newestFirst(ours));
    expect(pages.slice(0, -1).every((page) => page.length === 100)).toBe(true);
    // A summary per image: a PENDING upload has no size yet, and nothing beyond the summary is shown.
    const upload = pages.flat().find((item) => mine.has(item.imageId));
    expect(Object.keys(upload ?? {}).sort()).toEqual(
      ['contentType', 'createdAt', 'filename', 'imageId', 'status', 'updatedAt'].sort(),
    );
  });

  it('pages through one status the same way, with nothing of another status', async () => {
    const pages = await pageThrough({ status: 'PENDING', limit: 50 });
    const listed = pages.flat();
    const ids = listed.map((item) => item.imageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFirst(ids));
    expect(listed.filter((item) => item.status !== 'PENDING')).toEqual([]);
    const mine = new Set(ours);
    expect(ids.filter((id) => mine.has(id))).toEqual(newestFirst(ours));
  });
});
