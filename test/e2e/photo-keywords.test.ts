import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { withIptc } from '../support/described';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { eventually } from './support';

/**
 * What the photo says of itself, on the local runner (issue 77, docs/search.md): a JPEG carrying the IPTC keywords
 * `beach` and `vacation` and a caption, uploaded through the API, keeps them in its record's `analysis.described`;
 * `q=` finds it by each keyword and by a word of the caption, saying where, and `tag=beach` by the whole keyword; and
 * once its owner has tagged it `beach` and taken the tag away again, its own keywords still find it. A plain photo
 * beside it is found by none of them. A user of its own on the shared jwt runner, so it finds only this file's photos.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

const CAPTION = 'Sunset over the harbour at Wissant';

let runner: SharedRunner;
let alice: ImageApiClient;
const ids = { described: '', plain: '' };

type Match = { asked: string; word: string; field: string; value: string };
type Item = { imageId: string; filename?: string; matchedBy?: Match[] };

/** The file names a search finds (one page: this file's user has two photos). */
const names = async (query: Record<string, string>) =>
  ((await alice.list(query)).items as Item[]).map((item) => item.filename).sort();

beforeAll(async () => {
  runner = await profileRunner('jwt');
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  const jpeg = (background: string) =>
    sharp({ create: { width: 64, height: 48, channels: 3, background } })
      .jpeg()
      .toBuffer();
  const described = withIptc(await jpeg('#3366aa'), { keywords: ['beach', 'vacation'], caption: CAPTION });
  ids.described = await alice.upload(described, { filename: 'img_0001.jpg' });
  ids.plain = await alice.upload(await jpeg('#aa6633'), { filename: 'img_0002.jpg' });
  for (const id of Object.values(ids)) expect((await alice.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
  // Found once the index has both (written with the final record): every search below then sees them.
  await eventually('both photos in the index', WAIT, async () => ((await names({})).length === 2 ? true : undefined));
}, WAIT * 2);

describe('what the photo says of itself', () => {
  it("is kept in the record's analysis", async () => {
    const record = (await alice.call('GET', `/images/${ids.described}`)) as {
      analysis: { described?: unknown };
      tags?: string[];
    };
    expect(record.analysis.described).toEqual({ keywords: ['beach', 'vacation'], caption: CAPTION });
    expect(record.tags ?? []).toEqual([]);
  });

  it('is found by q= of each keyword and of a word of its caption, which says where it matched', async () => {
    expect(await names({ q: 'beach' })).toEqual(['img_0001.jpg']);
    expect(await names({ q: 'vacation' })).toEqual(['img_0001.jpg']);
    expect(await names({ q: 'wissant' })).toEqual(['img_0001.jpg']);
    const [hit] = (await alice.list({ q: 'vacation harbour' })).items as Item[];
    expect(hit?.matchedBy).toEqual([
      { asked: 'q', word: 'vacation', field: 'keyword', value: 'vacation' },
      { asked: 'q', word: 'harbour', field: 'caption', value: 'harbour' },
    ]);
    expect(await names({ q: 'mountain' })).toEqual([]);
  });

  it('is found by tag= of a whole keyword, and not of a word of its caption', async () => {
    expect(await names({ tag: 'beach' })).toEqual(['img_0001.jpg']);
    expect(await names({ tag: 'vacation' })).toEqual(['img_0001.jpg']);
    expect(await names({ tag: 'sunset' })).toEqual([]);
  });

  it("is still found by its own keywords after its owner's tag edits", async () => {
    await alice.call('PATCH', `/images/${ids.described}/tags`, { add: ['Beach', 'Family'] });
    expect(await names({ tag: 'family' })).toEqual(['img_0001.jpg']);
    const answer = await alice.call('PATCH', `/images/${ids.described}/tags`, { remove: ['beach'] });
    expect(answer).toEqual({ imageId: ids.described, tags: ['Family'] });
    expect(await names({ tag: 'beach' })).toEqual(['img_0001.jpg']);
    expect(await names({ q: 'beach' })).toEqual(['img_0001.jpg']);
    expect(await names({ q: 'wissant' })).toEqual(['img_0001.jpg']);
    const record = (await alice.call('GET', `/images/${ids.described}`)) as { analysis: { described?: unknown } };
    expect(record.analysis.described).toEqual({ keywords: ['beach', 'vacation'], caption: CAPTION });
  });
});
