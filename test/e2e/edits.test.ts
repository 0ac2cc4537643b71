import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { reanalyse } from '../support/reanalyse';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * An owner's edits after upload on the local runner (issue 60, docs/api.md "Edits"): tags changed are found by
 * `tag=` at once and the old ones no longer; a date taken set for a photo without EXIF moves it in the timeline and
 * into the date filters, and stays through a re-analysis beside the EXIF date (none), and one dropped puts a photo
 * back at its EXIF date; a favourite is found by
 * `favourite=true` until it is unmarked. A user of its own on the shared jwt runner, so its timeline holds only
 * this file's photos.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 4);

let runner: SharedRunner;
let alice: ImageApiClient;
const ids: Record<'old' | 'recent' | 'undated', string> = { old: '', recent: '', undated: '' };

/** A small JPEG of its own colour, with an EXIF date (the camera's clock) or none. */
async function photo(colour: string, taken?: string): Promise<Buffer> {
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).jpeg();
  return (taken ? image.withExif({ IFD0: { DateTime: taken } }) : image).toBuffer();
}

const names = async (query: Record<string, string>) =>
  (await alice.list(query)).items.map((item) => item.filename as string);

beforeAll(async () => {
  runner = await profileRunner('jwt');
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  ids.old = await alice.upload(await photo('#224466', '2012:03:04 05:06:07'), { filename: 'old.jpg', tags: ['Work'] });
  ids.recent = await alice.upload(await photo('#664422', '2023:08:09 12:13:14'), { filename: 'recent.jpg' });
  ids.undated = await alice.upload(await photo('#446622'), { filename: 'undated.jpg' });
  for (const id of Object.values(ids)) expect((await alice.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
}, WAIT * 2);

describe("an owner's edits after upload", () => {
  it('tags changed are found by tag= at once, the removed one no longer', async () => {
    expect(await names({ tag: 'work' })).toEqual(['old.jpg']);
    const answer = await alice.call('PATCH', `/images/${ids.old}/tags`, {
      add: ['Harbour', 'Blue hour'],
      remove: ['work'],
    });
    expect(answer).toEqual({ imageId: ids.old, tags: ['Harbour', 'Blue hour'] });
    expect(await names({ tag: 'harbour' })).toEqual(['old.jpg']);
    expect(await names({ tag: 'blue hour' })).toEqual(['old.jpg']);
    expect(await names({ q: 'harb' })).toEqual(['old.jpg']);
    expect(await names({ tag: 'work' })).toEqual([]);
    expect(((await alice.call('GET', `/images/${ids.old}`)) as { tags: string[] }).tags).toEqual([
      'Harbour',
      'Blue hour',
    ]);
  });

  it('a date taken set for a photo without EXIF moves it in the timeline and into the date filters, and stays through a re-analysis', async () => {
    const timeline = async () => (await alice.list({ sort: 'taken' })).items.map((item) => item.filename);
    // Without a date it sorts by its upload: newer than every photo.
    expect(await timeline()).toEqual(['undated.jpg', 'recent.jpg', 'old.jpg']);
    expect(await names({ takenBefore: '2015-01-01' })).toEqual(['old.jpg']);

    const answer = await alice.call('PUT', `/images/${ids.undated}/taken`, { takenAt: '2014-06-07T08:09:10+02:00' });
    expect(answer).toMatchObject({ takenAt: '2014-06-07T08:09:10', takenCorrection: { offset: '+02:00' } });
    expect(answer).not.toHaveProperty('exifTakenAt');
    expect(await timeline()).toEqual(['recent.jpg', 'undated.jpg', 'old.jpg']);
    const page = await alice.list({ sort: 'taken' });
    expect(page.items.find((item) => item.imageId === ids.undated)?.takenAt).toBe('2014-06-07T08:09:10');
    expect(new Set(await names({ takenBefore: '2015-01-01' }))).toEqual(new Set(['old.jpg', 'undated.jpg']));
    expect(await names({ takenAfter: '2014-06-07', takenBefore: '2014-06-07' })).toEqual(['undated.jpg']);

    // A wrong EXIF date corrected: the EXIF stays in the analysis, the timeline follows the owner's.
    await alice.call('PUT', `/images/${ids.recent}/taken`, { takenAt: '2011-01-01T00:00:00Z' });
    expect(await timeline()).toEqual(['undated.jpg', 'old.jpg', 'recent.jpg']);
    const recent = (await alice.call('GET', `/images/${ids.recent}`)) as {
      analysis: { metadata: { exif?: { takenAt?: string } } };
      takenCorrection: { takenAt: string };
    };
    expect(recent.analysis.metadata.exif?.takenAt).toBe('2023-08-09T12:13:14');
    expect(recent.takenCorrection.takenAt).toBe('2011-01-01T00:00:00');

    const { key } = (await alice.call('GET', `/images/${ids.undated}`)) as { key: string };
    await reanalyse(runner, { imageId: ids.undated, key }, WAIT);
    const after = (await alice.call('GET', `/images/${ids.undated}`)) as { takenCorrection?: { takenAt: string } };
    expect(after.takenCorrection?.takenAt).toBe('2014-06-07T08:09:10');
    expect(await timeline()).toEqual(['undated.jpg', 'old.jpg', 'recent.jpg']);
  });

  it('a date taken dropped puts the photo back at its EXIF date in the timeline and the date filters', async () => {
    const timeline = async () => (await alice.list({ sort: 'taken' })).items.map((item) => item.filename);
    expect(await alice.call('DELETE', `/images/${ids.recent}/taken`)).toEqual({
      imageId: ids.recent,
      takenAt: '2023-08-09T12:13:14',
    });
    expect(await timeline()).toEqual(['recent.jpg', 'undated.jpg', 'old.jpg']);
    expect(await names({ takenAfter: '2023-01-01' })).toEqual(['recent.jpg']);
    expect(await alice.call('GET', `/images/${ids.recent}`)).not.toHaveProperty('takenCorrection');
  });

  it('a favourite is found by favourite=true until it is unmarked; a bad value is a 400', async () => {
    expect(await names({ favourite: 'true' })).toEqual([]);
    expect(await alice.call('PUT', `/images/${ids.recent}/favourite`, { favourite: true })).toEqual({
      imageId: ids.recent,
      favourite: true,
    });
    expect(await names({ favourite: 'true' })).toEqual(['recent.jpg']);
    await alice.call('PUT', `/images/${ids.recent}/favourite`, { favourite: false });
    expect(await names({ favourite: 'true' })).toEqual([]);
    await expect(alice.list({ favourite: 'yes' })).rejects.toMatchObject({ status: 400 });
  });
});
