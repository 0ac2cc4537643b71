import { editTags } from '../../../../../lambdas/images/functions/edit-tags/edit-tags';
import { TagChangeSchema } from '../../../../../lambdas/images/functions/edit-tags/route';
import { termsOf } from '../../../../../lambdas/search/terms';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { OTHER_USER, TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';
import { editWorld } from '../edit-world';

const caller = { owner: TEST_USER.sub, admin: false };
const change = (add: string[] = [], remove: string[] = []) => TagChangeSchema.parse({ add, remove });
const tagged = (tags: string[] | undefined, overrides: Partial<ImageItem> = {}) => {
  const item = imageItem({ tags, analysis: processedAnalysis({ width: 4, height: 3 }), ...overrides });
  return { ...item, indexedTerms: termsOf(item).terms };
};

describe('editing tags (PATCH /images/{id}/tags)', () => {
  it('adds a tag at the end, posts it under tag= at once and announces Image Updated', async () => {
    const { deps, calls } = editWorld(tagged(['Holiday']));
    const answer = await editTags(IDS.newer, change(['Beach']), caller, deps);
    expect(answer).toEqual({ imageId: IDS.newer, tags: ['Holiday', 'Beach'] });
    expect(calls.written[0]?.tags).toEqual(['Holiday', 'Beach']);
    expect(calls.written[0]?.updatedAt).toBe('2026-11-28T10:00:00.000Z');
    expect(calls.seen).toEqual(['2025-01-02T03:04:09.000Z']);
    expect(calls.put[0]).toEqual(expect.arrayContaining(['tag=holiday', 'tag=beach', 'prefix=bea']));
    expect(calls.events).toEqual([
      expect.objectContaining({
        detailType: 'Image Updated',
        detail: expect.objectContaining({ changed: ['tags'], tags: ['Holiday', 'Beach'], by: TEST_USER.sub }),
      }),
    ]);
  });

  it('takes away every tag equal to a removed one as tag= compares them, and its postings with it', async () => {
    const { deps, calls } = editWorld(tagged(['#Zoo', 'zoo', 'Park']));
    const answer = await editTags(IDS.newer, change([], ['ZOO']), caller, deps);
    expect(answer.tags).toEqual(['Park']);
    expect(calls.put[0]).not.toContain('tag=zoo');
    expect(calls.removed[0]).toEqual(expect.arrayContaining(['tag=zoo']));
    expect(calls.cleared).toBe(1);
  });

  it("leaves the photo's own keywords and caption indexed when its owner takes away a tag of the same name", async () => {
    const analysis = processedAnalysis({ width: 4, height: 3 });
    const described = { keywords: ['Beach', 'Vacation'], caption: 'Sunset at Wissant' };
    const { deps, calls } = editWorld(tagged(['Beach'], { analysis: { ...analysis, described } }));
    expect((await editTags(IDS.newer, change([], ['beach']), caller, deps)).tags).toEqual([]);
    expect(calls.written[0]?.analysis).toMatchObject({ described });
    expect(calls.put[0]).toEqual(
      expect.arrayContaining(['keyword=beach', 'keyword=vacation', 'caption=sunset', 'prefix=bea', 'prefix=vac']),
    );
    expect(calls.removed[0]).toEqual(['tag=beach']);
  });

  it('keeps an empty list when the last tag goes, so that a processing run cannot bring the upload tags back', async () => {
    const { deps, calls } = editWorld(tagged(['Holiday']));
    await editTags(IDS.newer, change([], ['holiday']), caller, deps);
    expect(calls.written[0]?.tags).toEqual([]);
  });

  it('adds nothing the image has already, written otherwise', async () => {
    const { deps } = editWorld(tagged(['Beach']));
    expect((await editTags(IDS.newer, change(['beach', 'Sun']), caller, deps)).tags).toEqual(['Beach', 'Sun']);
  });

  it('refuses a change that would leave more than 20 tags, naming the count', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `tag${i}`);
    const { deps, calls } = editWorld(tagged(twenty));
    await expect(editTags(IDS.newer, change(['one more']), caller, deps)).rejects.toMatchObject({
      name: 'BadRequestError',
      message: 'body: the image would have 21 tags: at most 20',
    });
    expect(calls.written).toEqual([]);
  });

  it("is a 404 for another owner's image, as GET is", async () => {
    const { deps } = editWorld(tagged([], { owner: OTHER_USER.sub }));
    await expect(editTags(IDS.newer, change(['x']), caller, deps)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('is a 409 until the image is PROCESSED', async () => {
    const { deps } = editWorld(imageItem({ status: 'PENDING' }));
    await expect(editTags(IDS.newer, change(['x']), caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
      message: `image ${IDS.newer} is PENDING: it can be edited once it is PROCESSED`,
    });
  });

  it('is a 409 when the record changed since it was read, indexing and publishing nothing', async () => {
    const { deps, calls } = editWorld(tagged([]), false);
    await expect(editTags(IDS.newer, change(['x']), caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
      message: `image ${IDS.newer} changed while it was being edited: try again`,
    });
    expect([calls.put, calls.events]).toEqual([[], []]);
  });
});

describe('the tag change body', () => {
  const parsed = (body: unknown) => TagChangeSchema.safeParse(body);

  it('takes tags as an upload does: trimmed', () => {
    expect(TagChangeSchema.parse({ add: ['  Beach '] })).toEqual({ add: ['Beach'], remove: [] });
  });

  it.each([
    ['nothing to do', {}],
    ['a blank tag', { add: ['  '] }],
    ['a tag over 64 characters', { add: ['x'.repeat(65)] }],
    ['a control character', { add: ['a\u0007b'] }],
    ['a tag both added and removed', { add: ['Beach'], remove: ['beach'] }],
    ['more than 20 at once', { add: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
    ['an unknown field', { add: ['x'], tags: [] }],
    ['not an object', ['x']],
  ])('refuses %s', (_why, body) => {
    expect(parsed(body).success).toBe(false);
  });
});
