import { SmartQuerySchema } from '../../../lambdas/albums/functions/albums-contract';
import { CreateAlbumSchema } from '../../../lambdas/albums/functions/create-album/route';
import { AlbumChangeSchema } from '../../../lambdas/albums/functions/update-album/route';

/** What the album routes take: a smart album's search is GET /images's filters, checked as that route checks them. */
describe("an album route's body", () => {
  it("takes a smart album's search as GET /images's query string has it, and keeps it as given", () => {
    const smart = { q: 'Beach days', tag: ['trip'], favourite: 'true' };
    expect(SmartQuerySchema.parse(smart)).toEqual(smart);
  });

  it('refuses a search GET /images would refuse, one with no filter, and the list parameters', () => {
    for (const [smart, problem] of [
      [{ q: 'x#y' }, /#/],
      [{ favourite: 'yes' }, /favourite/],
      [{}, /needs a search filter/],
      [{ tag: [] }, /needs a search filter/],
      [{ status: 'TRASHED', q: 'beach' }, /status/],
      [{ cursor: 'abc', q: 'beach' }, /cursor/],
    ] as const) {
      const parsed = SmartQuerySchema.safeParse(smart);
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toMatch(problem);
    }
  });

  it('takes a name of 1 to 200 characters, trimmed', () => {
    expect(CreateAlbumSchema.parse({ name: '  Trip ' })).toEqual({ name: 'Trip' });
    expect(CreateAlbumSchema.safeParse({ name: ' ' }).success).toBe(false);
    expect(CreateAlbumSchema.safeParse({ name: 'x'.repeat(201) }).success).toBe(false);
  });

  it('takes a change of at least one field', () => {
    expect(AlbumChangeSchema.safeParse({}).success).toBe(false);
    expect(AlbumChangeSchema.parse({ order: 'taken' })).toEqual({ order: 'taken' });
  });
});
