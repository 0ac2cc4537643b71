import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { SIMILAR_EXIT, similarCommand } from '../../lambdas/cli/similar/similar';
import { fixture } from '../fixtures';
import { eventually } from './support';
import { loadTarget } from './target';

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 3);

/** Someone who uploads nothing else, so their similar lists hold only this file's images. */
const token = target.users?.bob.token ?? target.bearerToken;
const api = new ImageApiClient(target.apiUrl, { apiKey: target.apiKey, bearerToken: token });

interface SimilarPage {
  imageId: string;
  maxDistance: number;
  items: Array<{ imageId: string; distance: number; duplicate: boolean }>;
}

async function similar(
  imageId: string,
  query = '',
): Promise<{ status: number; body: SimilarPage & { message?: string } }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  const response = await fetch(`${target.apiUrl}/images/${imageId}/similar${query}`, { headers });
  return { status: response.status, body: (await response.json()) as SimilarPage & { message?: string } };
}

/** Wait until `imageId`'s similar list holds `expected`: its postings are written. */
function listed(imageId: string, expected: string, query = ''): Promise<true> {
  return eventually(`${expected} in the similar list of ${imageId}`, WAIT, async () => {
    const { body } = await similar(imageId, query);
    return body.items?.some((item) => item.imageId === expected) ? true : undefined;
  });
}

describe('similar images, end to end', () => {
  let original: string;
  let copy: string;
  let unrelated: string;

  beforeAll(async () => {
    // Random bytes after the JPEG's end: the same picture, other bytes, so no test shares a SHA-256 with another.
    const pier = Buffer.concat([fixture('photos/pier.jpg'), randomBytes(16)]);
    const resized = await sharp(fixture('photos/pier.jpg')).resize(640).jpeg({ quality: 70 }).toBuffer();
    const leaf = Buffer.concat([fixture('photos/leaf.jpg'), randomBytes(16)]);
    [original, copy, unrelated] = await Promise.all([
      api.upload(pier, { filename: 'pier.jpg' }),
      api.upload(resized, { filename: 'pier-small.jpg' }),
      api.upload(leaf, { filename: 'leaf.jpg' }),
    ]);
    await Promise.all([original, copy, unrelated].map((id) => api.waitForFinal(id, WAIT)));
    // A record reads PROCESSED a moment before its postings are written (docs/api.md#search-filters).
    await listed(original, copy, '?maxDistance=10');
  });

  it('lists a resized, re-encoded copy within distance 6, and not an unrelated photo within 10', async () => {
    const { status, body } = await similar(original, '?maxDistance=10');
    expect(status).toBe(200);
    const found = new Map(body.items.map((item) => [item.imageId, item]));
    expect(found.get(copy)).toEqual({ imageId: copy, distance: expect.any(Number), duplicate: false });
    expect(found.get(copy)?.distance).toBeLessThanOrEqual(6);
    expect(found.has(unrelated)).toBe(false);
    expect(found.has(original)).toBe(false);
    // The default distance (6) is enough for such a copy.
    const byDefault = await similar(original);
    expect(byDefault.body.maxDistance).toBe(6);
    expect(byDefault.body.items.map((item) => item.imageId)).toContain(copy);
  });

  it('lists an exact copy first, as a duplicate at distance 0', async () => {
    const bytes = await sharp(fixture('photos/kite.jpg')).jpeg({ quality: 80 }).toBuffer();
    const [first, second] = [
      await api.upload(bytes, { filename: 'kite.jpg' }),
      await api.upload(bytes, { filename: 'kite-again.jpg' }),
    ];
    await Promise.all([api.waitForFinal(first, WAIT), api.waitForFinal(second, WAIT)]);
    await listed(second, first);
    const { body, status } = await similar(second);
    expect({ status, message: body.message }).toEqual({ status: 200, message: undefined });
    expect(body.items[0]).toEqual({ imageId: first, distance: 0, duplicate: true });
  });

  it('answers 400 naming the parameter for a bad or unknown one, and 404 for an unknown image', async () => {
    const bad = await similar(original, '?maxDistance=64');
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as { message: string }).message).toMatch(/^maxDistance: /);
    const unknown = await similar(original, '?radius=3');
    expect(unknown.status).toBe(400);
    expect((await similar('01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
  });

  it('image-intel similar prints the same images, one JSON line each, and exits 1 for an unknown image', async () => {
    const out: string[] = [];
    const flags = { api: target.apiUrl, apiKey: target.apiKey, token, maxDistance: 10 };
    expect(await similarCommand(original, flags, (line) => out.push(line))).toBe(SIMILAR_EXIT.ok);
    const printed = out.map((line) => JSON.parse(line) as { imageId: string });
    expect(printed.map((item) => item.imageId)).toEqual(
      (await similar(original, '?maxDistance=10')).body.items.map((i) => i.imageId),
    );
    expect(printed.map((item) => item.imageId)).toContain(copy);
    const err: string[] = [];
    const unknown = await similarCommand(
      '01JZZZZZZZZZZZZZZZZZZZZZZZ',
      flags,
      () => undefined,
      (line) => err.push(line),
    );
    expect({ unknown, err }).toEqual({
      unknown: SIMILAR_EXIT.failed,
      err: [expect.stringMatching(/^GET \/images\/01JZZZZZZZZZZZZZZZZZZZZZZZ\/similar: 404 /)],
    });
  });
});
