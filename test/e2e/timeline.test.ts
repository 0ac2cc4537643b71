import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { loadTarget } from './target';

/*
 * The timeline end to end: photos whose EXIF says when they were taken, uploaded in another order, come back from
 * `GET /images?sort=taken` newest taken first, page by page through the cursor; an upload not sent yet (PENDING)
 * is at its upload time; what the timeline cannot answer is a 400 that says why. A user of its own (a token the
 * local runner mints for a fresh name), so the timeline holds only this file's images.
 */

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 4);

/** Uploaded in this order, taken at these dates (the camera's clock). */
const PHOTOS = [
  { name: 'b.jpg', taken: '2018:05:05 10:00:00' },
  { name: 'd.jpg', taken: '2001:01:01 00:00:00' },
  { name: 'a.jpg', taken: '2023:08:09 12:13:14' },
  { name: 'c.jpg', taken: '2018:05:05 09:59:59' },
];

async function tokenFor(user: string): Promise<string> {
  const response = await fetch(target.tokenUrl as string, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  return ((await response.json()) as { token: string }).token;
}

if (!target.tokenUrl) {
  throw new Error('this suite needs a user of its own: the runner with --auth jwt, whose token URL mints one');
}

describe('GET /images?sort=taken', () => {
  let api: ImageApiClient;
  const ids = new Map<string, string>();
  let pending = '';

  beforeAll(async () => {
    api = new ImageApiClient(target.apiUrl, {
      bearerToken: await tokenFor(`timeline-${randomBytes(4).toString('hex')}`),
    });
    for (const photo of PHOTOS) {
      const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#446688' } })
        .jpeg()
        .withExif({ IFD0: { DateTime: photo.taken } })
        .toBuffer();
      ids.set(photo.name, await api.upload(bytes, { filename: photo.name }));
    }
    for (const id of ids.values()) expect((await api.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
    // An upload URL asked for and never used: PENDING, at its upload time (now, newer than every photo).
    const ticket = (await api.call('POST', '/uploads', { contentType: 'image/png', size: 1000 })) as {
      imageId: string;
    };
    pending = ticket.imageId;
  });

  it('answers newest taken first, one at a time through the cursor, each with its date taken', async () => {
    const seen: Array<{ imageId: string; takenAt?: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await api.list({ sort: 'taken', limit: 1, ...(cursor && { cursor }) });
      seen.push(...page.items.map((item) => ({ imageId: item.imageId, takenAt: item.takenAt as string | undefined })));
      cursor = page.cursor;
    } while (cursor && seen.length < 20);
    expect(seen.map((item) => item.imageId)).toEqual([
      pending,
      ids.get('a.jpg'),
      ids.get('b.jpg'),
      ids.get('c.jpg'),
      ids.get('d.jpg'),
    ]);
    expect(seen.map((item) => item.takenAt)).toEqual([
      undefined,
      '2023-08-09T12:13:14',
      '2018-05-05T10:00:00',
      '2018-05-05T09:59:59',
      '2001-01-01T00:00:00',
    ]);
  });

  it('keeps the upload order as the default', async () => {
    const page = await api.list({ limit: 10 });
    // Newest upload first: the pending one, then the photos in the reverse of their upload order.
    expect(page.items.map((item) => item.imageId)).toEqual([
      pending,
      ...[...PHOTOS].reverse().map((photo) => ids.get(photo.name)),
    ]);
  });

  it.each([
    ['sort=newest', /sort: must be uploaded or taken/],
    ['sort=taken&label=dog', /leave sort out/],
    ['sort=taken&status=PROCESSED', /taken lists every status/],
  ])('refuses %s with a 400 that says why', async (query, message) => {
    await expect(api.call('GET', `/images?${query}`)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(message),
    });
  });
});
