import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { callerOf } from '../../../../lambdas/api/caller';
import { parseRequest } from '../../../../lambdas/api/http';
import { queryOf } from '../../../../lambdas/images/functions/list-images/filters';
import { listImages } from '../../../../lambdas/images/functions/list-images/list-images';
import { ListQuerySchema } from '../../../../lambdas/images/functions/list-images/route';
import { type ApiAuth, createApiServer } from '../../../../lambdas/local/api-server';
import { generateSigningKeys, LocalTokens } from '../../../../lambdas/local/local-tokens';
import { SEARCH_FILTERS, type SearchFilter } from '../../../../lambdas/search/filters';
import type { SearchQuery } from '../../../../lambdas/search/index-port';
import type { AuthMode } from '../../../../lambdas/settings';
import { AppError, NotFoundError } from '../../../../lambdas/shared/errors';
import { run, runWithEnv } from '../run-cli';

/** An image the fake API holds: what its search postings know, and the record `GET /images/{id}` answers. */
interface StoredImage {
  imageId: string;
  owner: string;
  labels: string[];
  color: string;
  summary: { status: 'PROCESSED'; createdAt: string; updatedAt: string; filename: string; topLabels: string[] };
  record: Record<string, unknown>;
}

function image(n: number, owner: string, labels: string[], color: string): StoredImage {
  const imageId = `01TEST${String(n).padStart(20, '0')}`;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
  const summary = {
    status: 'PROCESSED' as const,
    createdAt: at,
    updatedAt: at,
    filename: `${labels.join('-')}-${n}.jpg`,
    topLabels: labels,
  };
  const record = { imageId, owner, ...summary, analysis: { palette: [color] }, urls: { original: `s3://${imageId}` } };
  return { imageId, owner, labels, color, summary, record };
}

/** Newest first, as the API answers. */
const IMAGES = [
  image(1, 'local', ['cat'], 'red'),
  image(2, 'local', ['cat', 'dog'], 'red'),
  image(3, 'local', ['dog'], 'red'),
  image(4, 'local', ['cat'], 'blue'),
  image(5, 'local', ['cat', 'dog'], 'red'),
  image(6, 'local', ['cat'], 'red'),
  image(7, 'local', ['cat'], 'red'),
  image(8, 'bob', ['cat'], 'red'),
].reverse();

/** The most the fake serves per page, whatever the limit asked: small, so that a few images make several pages. */
const FAKE_PAGE = 2;

interface FakeApi {
  url: string;
  /** Each `GET /images` query as the function got it (API Gateway's multi-value parameters). */
  lists: Record<string, string[]>[];
  /** The ids `GET /images/{id}` was asked for. */
  gets: string[];
}

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * The API's `GET /images` behind the runner's API server: the real query checks and owner scoping (`ListQuerySchema`,
 * `listImages`), over a search that matches labels and colour in memory; and `GET /images/{id}` answering the
 * caller's own records.
 */
async function startApi(
  images: StoredImage[],
  auth: ApiAuth = { mode: 'none' },
  /** Search by meaning on: the images nearest any query, nearest first. */
  nearest?: StoredImage[],
): Promise<FakeApi> {
  const mode: AuthMode = auth.mode === 'jwt' ? 'cognito' : auth.mode;
  const source = { mode, clients: async () => ({ key1: { name: 'local', admin: false } }) };
  const fake: Omit<FakeApi, 'url'> = { lists: [], gets: [] };
  const search = async ({ owner, filters, limit, cursor }: SearchQuery) => {
    const matches = images.filter(
      (one) =>
        one.owner === owner &&
        filters.label.every((label) => one.labels.includes(label)) &&
        filters.q.every((word) => one.labels.includes(word)) &&
        (filters.color === undefined || one.color === filters.color),
    );
    const from = cursor === undefined ? 0 : Number(cursor);
    const to = from + Math.min(limit, FAKE_PAGE);
    // Why each matched, as the search index says it: each word of q, a label of the image.
    const matchedBy = filters.q.map((word) => ({ asked: 'q' as const, word, field: 'label' as const, value: word }));
    const items = matches
      .slice(from, to)
      .map((one) => ({ term: 'all', facets: [], ...one, ...(matchedBy.length > 0 && { matchedBy }) }));
    return { items, read: items.length, ...(to < matches.length && { cursor: String(to) }) };
  };
  const answer = async (work: () => Promise<unknown>): Promise<APIGatewayProxyResult> => {
    try {
      return { statusCode: 200, body: JSON.stringify(await work()) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { statusCode: error.statusCode, body: JSON.stringify({ message: error.message }) };
    }
  };
  const list = (event: APIGatewayProxyEvent) =>
    answer(async () => {
      const multi = (event.multiValueQueryStringParameters ?? {}) as Record<string, string[]>;
      fake.lists.push(multi);
      const parsed = parseRequest(ListQuerySchema, queryOf(multi), 'query');
      const links = { sign: async (keys: Record<string, string>) => keys, keysOf: () => ({}) };
      return listImages(parsed, await callerOf(event, source), {
        store: {
          list: async () => ({ items: [] }),
          timeline: async () => ({ items: [] }),
          tiles: async () => new Map(),
          stacking: async () => new Map(),
          summaries: async (ids: readonly string[]) =>
            new Map(
              images
                .filter((one) => ids.includes(one.imageId))
                .map((one) => [one.imageId, { ...one.summary, owner: one.owner }]),
            ),
        },
        search,
        links,
        ...(nearest && {
          meaning: {
            maxDistance: 1,
            nearest: async () => [nearest.map((one, i) => ({ imageId: one.imageId, distance: 0.1 + i / 100 }))],
          },
        }),
      });
    });
  const get = (event: APIGatewayProxyEvent) =>
    answer(async () => {
      const caller = await callerOf(event, source);
      const id = event.pathParameters?.id as string;
      fake.gets.push(id);
      const found = images.find((one) => one.imageId === id && (caller.admin || one.owner === caller.owner));
      if (!found) throw new NotFoundError('no such image');
      return found.record;
    });
  const server = createApiServer({
    routes: [
      { method: 'GET', resource: '/images', functionName: 'list-images', handler: list },
      { method: 'GET', resource: '/images/{id}', functionName: 'get-image', handler: get },
    ],
    auth,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ...fake };
}

const records = (images: StoredImage[]) => images.map((one) => one.record);
const red = (label: string) =>
  IMAGES.filter((one) => one.owner === 'local' && one.color === 'red' && one.labels.includes(label));

describe('image-intel search', () => {
  it('prints the full record of every match, newest first, following the cursor across pages', async () => {
    const api = await startApi(IMAGES);
    const { code, stderr, records: printed } = await run('search', '--api', api.url, 'label=cat', 'color=red');
    expect([code, stderr]).toEqual([0, '']);
    expect(printed).toEqual(records(red('cat')));
    expect(api.lists.map((query) => query.cursor)).toEqual([undefined, ['2'], ['4']]);
    expect(api.gets).toHaveLength(red('cat').length);
  });

  it('sends a repeated key once per value: label=cat label=dog asks for images with both', async () => {
    const api = await startApi(IMAGES);
    const { code, records: printed } = await run('search', '--api', api.url, 'label=cat', 'label=dog');
    expect(code).toBe(0);
    expect(api.lists[0]).toEqual({ label: ['cat', 'dog'], limit: ['100'] });
    const both = IMAGES.filter((one) => one.owner === 'local' && one.labels.length === 2);
    expect(printed).toEqual(records(both));
  });

  it('sends words without = as one search box, q, beside the filters', async () => {
    const api = await startApi(IMAGES);
    const { code } = await run('search', '--api', api.url, 'dog', 'label=cat', 'on the beach');
    expect(code).toBe(0);
    expect(api.lists[0]).toEqual({ q: ['dog on the beach'], label: ['cat'], limit: ['100'] });
  });

  it('says in each record why a ranked search found it, with search by meaning on', async () => {
    const [first, second] = IMAGES.filter((one) => one.owner === 'local');
    if (!first || !second) throw new Error('no images');
    // The words find nothing (no label matches them); the meaning finds the two nearest.
    const api = await startApi(IMAGES, { mode: 'none' }, [second, first]);
    const { code, records: printed } = await run('search', '--api', api.url, 'sunset');
    expect(code).toBe(0);
    expect(printed).toEqual([second, first].map((one) => ({ ...one.record, matched: ['meaning'] })));
  });

  it('says in each record what of the image each word matched (matchedBy)', async () => {
    const api = await startApi(IMAGES);
    const { code, stderr, records: printed } = await run('search', '--api', api.url, 'cat');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const cats = IMAGES.filter((one) => one.owner === 'local' && one.labels.includes('cat'));
    expect(cats.length).toBeGreaterThan(0);
    const why = [{ asked: 'q', word: 'cat', field: 'label', value: 'cat' }];
    expect(printed).toEqual(cats.map((one) => ({ ...one.record, matchedBy: why })));
  });

  it('prints the list items as they come with --summary, asking for no record', async () => {
    const api = await startApi(IMAGES);
    const { code, records: printed } = await run('search', '--api', api.url, '--summary', 'label=cat', 'color=red');
    expect(code).toBe(0);
    expect(printed).toEqual(red('cat').map((one) => ({ imageId: one.imageId, ...one.summary })));
    expect(api.gets).toEqual([]);
  });

  it('prints at most --limit records, asking for no more than it still needs', async () => {
    const api = await startApi(IMAGES);
    const { code, records: printed } = await run('search', '--api', api.url, '--limit', '3', 'label=cat', 'color=red');
    expect(code).toBe(0);
    expect(printed).toEqual(records(red('cat').slice(0, 3)));
    expect(api.lists.map((query) => query.limit)).toEqual([['3'], ['1']]);
    expect(api.gets).toHaveLength(3);
  });

  it('prints nothing on stdout, says so on stderr, and exits 0 when nothing matches', async () => {
    const api = await startApi(IMAGES);
    const { code, stdout, stderr } = await run('search', '--api', api.url, 'label=cat', 'color=green');
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: 'image-intel: no images match\n' });
  });

  it.each([
    [
      'an unknown colour',
      ['color=reddish'],
      /^image-intel: GET \/images: 400 color: must be one of red, orange, .*gray\n$/,
    ],
    [
      'a key given twice that may not repeat',
      ['color=red', 'color=blue'],
      /^image-intel: GET \/images: 400 color: given 2 times, at most once\n$/,
    ],
    ['an unknown filter', ['colour=red'], /^image-intel: GET \/images: 400 query: unknown parameter: colour\n$/],
  ])('prints the API’s 400 for %s on stderr, nothing on stdout, and exits 1', async (_, filters, message) => {
    const api = await startApi(IMAGES);
    const { code, stdout, stderr } = await run('search', '--api', api.url, ...filters);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(message);
  });

  it.each([
    ['a filter with no name', '=cat', /'filters'.*must be key=value/],
    ['limit as a filter', 'limit=3', /limit: use --limit N/],
    ['cursor as a filter', 'cursor=abc', /cursor: the cursor is followed for you/],
  ])('refuses %s as a usage error (exit 2) without asking the API', async (_, filter, message) => {
    const api = await startApi(IMAGES);
    const { code, stdout, stderr } = await run('search', '--api', api.url, filter);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(message);
    expect(api.lists).toEqual([]);
  });

  it('lists every filter of GET /images in its help, with what it means and the values it takes', async () => {
    const { code, stdout } = await run('search', '--help');
    expect(code).toBe(0);
    const help = stdout.replace(/\s+/g, ' ');
    for (const [name, filter] of Object.entries(SEARCH_FILTERS as Record<string, SearchFilter>)) {
      const meaning = filter.description + (filter.values ? `; one of ${filter.values.join(', ')}` : '');
      const at = help.lastIndexOf(` ${name}=`);
      expect(at).toBeGreaterThan(0);
      // The list follows the examples (label=cat...): after its `name=<value> `, the meaning.
      const after = help.slice(help.indexOf(' ', at + 1) + 1);
      expect(after.slice(0, meaning.length)).toBe(meaning);
    }
  });

  it('says it cannot reach an API that is not there, and exits 1', async () => {
    const api = await startApi(IMAGES);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    const { code, stderr } = await run('search', '--api', api.url, 'label=cat');
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^image-intel: cannot reach ${api.url}: .*ECONNREFUSED`));
  });

  it('stops quietly when the reader closes the pipe early, as head does', async () => {
    const many = Array.from({ length: 60 }, (_, n) => image(100 + n, 'local', ['cat'], 'red'));
    const api = await startApi(many);
    const child = spawn(
      process.execPath,
      [join(__dirname, '../../../../bin/image-intel.js'), 'search', '--api', api.url, 'label=cat'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(api.gets.length).toBeLessThan(many.length);
  });
});

describe('image-intel search as someone', () => {
  it('sends --api-key as x-api-key', async () => {
    const api = await startApi(IMAGES, { mode: 'apikey', key: 'secret', keyId: 'key1' });
    const refused = await run('search', '--api', api.url, 'label=dog');
    expect([refused.code, refused.stderr]).toEqual([1, 'image-intel: GET /images: 403 Forbidden\n']);
    const { code, records: printed } = await run('search', '--api', api.url, '--api-key', 'secret', 'label=dog');
    expect(code).toBe(0);
    expect(printed).toHaveLength(3);
  });

  it('reads another owner’s images with owner= for an admin (--token), and prints the API’s 403 for anyone else (IMAGE_INTEL_TOKEN)', async () => {
    const tokens = new LocalTokens(await generateSigningKeys(), 'http://localhost/_local');
    const api = await startApi(IMAGES, { mode: 'jwt', verify: (token) => tokens.verify(token) });
    const admin = await tokens.issue({ user: 'root', admin: true, ttlSeconds: 60 });
    const alice = await tokens.issue({ user: 'alice', admin: false, ttlSeconds: 60 });

    const asAdmin = await run('search', '--api', api.url, '--token', admin.token, 'owner=bob', 'label=cat');
    expect(asAdmin.code).toBe(0);
    expect(asAdmin.records).toEqual([IMAGES[0]?.record]);

    const asAlice = await runWithEnv({ IMAGE_INTEL_TOKEN: alice.token }, 'search', '--api', api.url, 'owner=bob');
    expect([asAlice.code, asAlice.stdout]).toEqual([1, '']);
    expect(asAlice.stderr).toBe("image-intel: GET /images: 403 owner: only an admin may list another owner's images\n");
  });
});
