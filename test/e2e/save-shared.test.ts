import { randomBytes } from 'node:crypto';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { shareIdOf, tokenHash } from '../../lambdas/shares/secrets';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Saving a shared photo on the local runner with `--auth jwt` (issue 80 item 2, docs/api.md "Saving a shared photo"):
 * alice shares a photo with GPS through a link that shows renditions only; bob saves it: the copy is his, analysed,
 * with no GPS in its record or in its original's bytes, and alice's original keeps hers; a replayed save makes no
 * second copy; carol saving from the link once it is revoked is refused, and signed out no one can save. Users of
 * this file's own on the shared jwt runner.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
const owners = { alice: '', bob: '', carol: '' };
const tokens = {} as Record<keyof typeof owners, string>;
const api = {} as Record<keyof typeof owners, ImageApiClient>;
let original = '';

interface ImageRecord {
  imageId: string;
  owner: string;
  status: string;
  position?: unknown;
  savedFrom?: { shareId: string; position: string };
  analysis?: { status: string; metadata: { width: number; height: number; format: string; exif?: { gps?: unknown } } };
  urls: { original?: string };
}

/** `POST /shared/{token}/save` as `who` (undefined: signed out): its status and body. */
async function save(who: keyof typeof owners | undefined, token: string, photo: string) {
  const response = await fetch(`${runner.ready.apiUrl}/shared/${token}/save`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(who !== undefined && { authorization: `Bearer ${tokens[who]}` }),
    },
    body: JSON.stringify({ photo }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The GPS the original's own bytes hold (its EXIF as exif-reader reads it), undefined without. */
async function gpsInBytes(record: ImageRecord): Promise<unknown> {
  const bytes = Buffer.from(await (await fetch(record.urls.original as string)).arrayBuffer());
  const { exif } = await sharp(bytes).metadata();
  const gps = exif ? exifReader(exif).GPSInfo : undefined;
  return gps?.GPSLatitude ?? gps?.GPSLongitude;
}

const record = async (who: keyof typeof owners, imageId: string) =>
  (await api[who].call('GET', `/images/${imageId}`)) as ImageRecord;

beforeAll(async () => {
  runner = await profileRunner('jwt');
  for (const who of Object.keys(owners) as (keyof typeof owners)[]) {
    owners[who] = fileUser(who);
    tokens[who] = await runner.token({ user: owners[who] });
    api[who] = new ImageApiClient(runner.ready.apiUrl, { bearerToken: tokens[who] });
  }
  // A real located photo, made this file's own by bytes after its end.
  const bytes = Buffer.concat([fixture('places/basel.jpg'), randomBytes(16)]);
  original = await api.alice.upload(bytes, { filename: 'basel.jpg' });
  expect((await api.alice.waitForFinal(original, WAIT)).status).toBe('PROCESSED');
}, WAIT * 2);

describe('saving a shared photo', () => {
  it("gives bob his own analysed copy without alice's GPS, once, and refuses a revoked link", async () => {
    const before = await record('alice', original);
    expect(await gpsInBytes(before)).toBeDefined();

    // A link that shows renditions only: it never hands out the position.
    const link = (await api.alice.call('POST', `/images/${original}/shares`, {})) as { token: string };
    const page = (await (await fetch(`${runner.ready.apiUrl}/shared/${link.token}`)).json()) as {
      items: { id: string }[];
    };
    const photo = page.items[0]?.id as string;
    expect(await save(undefined, link.token, photo)).toMatchObject({ status: 401 });

    const saved = await save('bob', link.token, photo);
    expect(saved).toEqual({
      status: 202,
      body: { imageId: expect.any(String), status: 'SAVING', position: 'removed' },
    });
    const copyId = saved.body.imageId as string;
    expect(copyId).not.toBe(original);

    // Bob's, analysed as his own upload, saying where it came from; no GPS in the record or in the bytes.
    expect((await api.bob.waitForFinal(copyId, WAIT)).status).toBe('PROCESSED');
    const copy = await record('bob', copyId);
    expect(copy).toMatchObject({
      owner: owners.bob,
      savedFrom: { shareId: shareIdOf(tokenHash(link.token)), position: 'removed' },
      analysis: {
        status: 'PROCESSED',
        metadata: { width: before.analysis?.metadata.width, height: before.analysis?.metadata.height, format: 'jpeg' },
      },
    });
    expect(copy.position).toBeUndefined();
    expect(copy.analysis?.metadata.exif?.gps).toBeUndefined();
    expect(await gpsInBytes(copy)).toBeUndefined();
    expect((await api.bob.list()).items.map((item) => item.imageId)).toContain(copyId);

    // Alice's original is untouched, and not bob's to read.
    const after = await record('alice', original);
    expect(after.owner).toBe(owners.alice);
    expect(after.position).toEqual(before.position);
    expect(await gpsInBytes(after)).toBeDefined();
    await expect(api.bob.call('GET', `/images/${original}`)).rejects.toMatchObject({ status: 404 });

    // A replayed save answers the same copy and makes none.
    expect(await save('bob', link.token, photo)).toEqual({
      status: 200,
      body: { imageId: copyId, status: 'SAVED', position: 'removed' },
    });
    expect((await api.bob.list()).items.filter((item) => item.imageId !== copyId)).toEqual([]);

    // Alice's own photo is hers already; once revoked, carol saves nothing.
    expect((await save('alice', link.token, photo)).status).toBe(409);
    await api.alice.call('DELETE', `/shares/${link.token}`);
    expect((await save('carol', link.token, photo)).status).toBe(410);
    expect((await api.carol.list()).items).toEqual([]);
  });
});
