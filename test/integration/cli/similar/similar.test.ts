import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIMILAR_EXIT, similarCommand } from '../../../../lambdas/cli/similar/similar';

/** A stand-in for GET /images/{id}/similar: two near images of `known`, 404 for anything else; each request kept. */
const requests: string[] = [];
let server: Server;
let api: string;
const known = '01JABCDEFGHJKMNPQRSTVWXYZ9';

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(`${request.url} ${request.headers.authorization ?? ''}`);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    // Their records, for the names: the second has been deleted since the similar page was made.
    if (url.pathname === '/images/01JABCDEFGHJKMNPQRSTVWXYZ1') {
      return json(200, { imageId: '01JABCDEFGHJKMNPQRSTVWXYZ1', filename: 'pier copy.jpg', status: 'PROCESSED' });
    }
    if (url.pathname !== `/images/${known}/similar`) return json(404, { message: 'image nope not found' });
    if (url.searchParams.get('maxDistance') === '12') return json(400, { message: 'maxDistance: must be at most 11' });
    json(200, {
      imageId: known,
      maxDistance: Number(url.searchParams.get('maxDistance') ?? 6),
      items: [
        { imageId: '01JABCDEFGHJKMNPQRSTVWXYZ1', distance: 0, duplicate: true },
        { imageId: '01JABCDEFGHJKMNPQRSTVWXYZ2', distance: 4, duplicate: false },
      ],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function similar(imageId: string, flags: Partial<Parameters<typeof similarCommand>[1]> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await similarCommand(
    imageId,
    { api, ...flags },
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out, err };
}

describe('image-intel similar', () => {
  it('prints one JSON line per similar image, nearest first, asking with the flags given', async () => {
    const { code, out, err } = await similar(known, { maxDistance: 10, limit: 5, token: 'a.b.c' });
    expect({ code, err }).toEqual({ code: SIMILAR_EXIT.ok, err: [] });
    // Each with its file name beside its id (null for one deleted since), the keys in this order.
    expect(out).toEqual([
      '{"imageId":"01JABCDEFGHJKMNPQRSTVWXYZ1","filename":"pier copy.jpg","distance":0,"duplicate":true}',
      '{"imageId":"01JABCDEFGHJKMNPQRSTVWXYZ2","filename":null,"distance":4,"duplicate":false}',
    ]);
    expect(requests.slice(-3)).toEqual([
      `/images/${known}/similar?maxDistance=10&limit=5 Bearer a.b.c`,
      '/images/01JABCDEFGHJKMNPQRSTVWXYZ1 Bearer a.b.c',
      '/images/01JABCDEFGHJKMNPQRSTVWXYZ2 Bearer a.b.c',
    ]);
  });

  it("leaves the distance and limit to the API's defaults when not given", async () => {
    await similar(known);
    expect(requests.at(-3)).toBe(`/images/${known}/similar `);
  });

  it("exits 1 with the API's own words for an unknown image or a distance out of range", async () => {
    expect(await similar('01JZZZZZZZZZZZZZZZZZZZZZZZ')).toEqual({
      code: SIMILAR_EXIT.failed,
      out: [],
      err: ['GET /images/01JZZZZZZZZZZZZZZZZZZZZZZZ/similar: 404 image nope not found'],
    });
    const far = await similar(known, { maxDistance: 12 });
    expect(far.err).toEqual([`GET /images/${known}/similar: 400 maxDistance: must be at most 11`]);
  });

  it('exits 1 saying which API it could not reach', async () => {
    const { code, err } = await similar(known, { api: 'http://127.0.0.1:1' });
    expect(code).toBe(SIMILAR_EXIT.failed);
    expect(err[0]).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:1: /);
  });
});
