import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { eventually } from './support';

/**
 * Quality through the local runner: a photo, its Gaussian-blurred copy (sigma 3) and a darkened copy go in; the
 * records, the event-facing list tiles and `quality=` search say which is which.
 */
jest.setTimeout(300_000);

let runner: SharedRunner;
let api: ImageApiClient;
let token: string;
/** A GET as this file's user. */
const get = (route: string) =>
  fetch(`${runner.ready.apiUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
const ids = new Map<string, string>();

async function search(query: string): Promise<string[]> {
  const response = await get(`/images?${query}&limit=50`);
  const body = (await response.json()) as { items?: Array<{ filename: string }>; message?: string };
  if (response.status !== 200) throw new Error(`${query}: ${response.status} ${body.message}`);
  return (body.items ?? []).map((item) => item.filename).sort();
}

beforeAll(async () => {
  runner = await profileRunner('jwt');
  token = await runner.token({ user: fileUser('alice') });
  api = new ImageApiClient(runner.ready.apiUrl, { bearerToken: token });
  const photo = fixture('photos/boats.jpg');
  const files: Array<[string, Buffer]> = [
    ['boats.jpg', photo],
    ['boats-blurred.jpg', await sharp(photo).blur(3).jpeg({ quality: 90 }).toBuffer()],
    ['boats-dark.jpg', await sharp(photo).linear(0.3, 0).jpeg({ quality: 90 }).toBuffer()],
  ];
  for (const [name, bytes] of files) ids.set(name, await api.upload(bytes, { filename: name }));
  for (const id of ids.values()) expect((await api.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
  // A record reads PROCESSED a moment before its postings are written (docs/api.md#search-filters): wait until the
  // three are found by some quality, then the tests say by which.
  await eventually('the three images under a quality= posting', 60_000, async () => {
    const found = await Promise.all(['blurry', 'underexposed', 'ok'].map((flag) => search(`quality=${flag}`)));
    return found.flat().length >= files.length ? true : undefined;
  });
});

describe('quality, end to end', () => {
  it('scores the blurred copy less sharp than the photo, in the record', async () => {
    const sharpness = async (name: string) => {
      const record = (await (await get(`/images/${ids.get(name)}`)).json()) as {
        analysis: { quality: { sharpness: number; flags: string[] } };
      };
      return record.analysis.quality;
    };
    const original = await sharpness('boats.jpg');
    const blurred = await sharpness('boats-blurred.jpg');
    expect(blurred.sharpness).toBeLessThan(original.sharpness);
    expect(blurred.flags).toContain('blurry');
    expect(original.flags).toEqual([]);
  });

  it('finds the blurred copy with quality=blurry and not the photo; the darkened one with quality=underexposed', async () => {
    expect(await search('quality=blurry')).toEqual(['boats-blurred.jpg']);
    expect(await search('quality=underexposed')).toEqual(['boats-dark.jpg']);
    expect(await search('quality=ok')).toEqual(['boats.jpg']);
  });

  it('gives each list tile its quality flags, [] for none', async () => {
    const { items } = (await (await get(`/images?limit=10`)).json()) as {
      items: Array<{ filename: string; qualityFlags?: string[] }>;
    };
    const flags = Object.fromEntries(items.map((item) => [item.filename, item.qualityFlags]));
    expect(flags).toEqual({
      'boats.jpg': [],
      'boats-blurred.jpg': ['blurry'],
      'boats-dark.jpg': expect.arrayContaining(['underexposed']),
    });
  });

  it('refuses a quality that is not a flag, naming the values', async () => {
    const response = await get(`/images?quality=fuzzy`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^quality: .*blurry/);
  });
});
