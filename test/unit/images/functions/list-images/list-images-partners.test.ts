import { type ListDeps, listImages } from '../../../../../lambdas/images/functions/list-images/list-images';
import { ListQuerySchema } from '../../../../../lambdas/images/functions/list-images/route';
import { IDS } from '../../../../support/items';

/*
 * `GET /images?partner=` and `partners=all` as the list's use case takes them: handed to the partners' port with the
 * caller and the page asked, each item then given its tile as an owner's list gives it, and refused with a 400 naming
 * what a partner's list does not take.
 */

const bob = { owner: 'bob', admin: false };
const summary = {
  imageId: IDS.newer,
  status: 'PROCESSED' as const,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  takenAt: '2025-06-01T10:00:00',
};

function deps(scope: { from?: string } = {}) {
  const asked: unknown[] = [];
  const searched: unknown[] = [];
  const fakes: ListDeps = {
    store: {
      list: async () => ({ items: [] }),
      timeline: async () => ({ items: [] }),
      tiles: async () => new Map([[IDS.newer, { width: 640, height: 480 }]]),
      summaries: async () => new Map(),
      stacking: async () => new Map(),
    },
    search: async (search) => {
      searched.push(search);
      const hit = (imageId: string) => ({ imageId, summary: { ...summary, imageId } });
      return { items: [hit(IDS.newer), hit(IDS.older)] };
    },
    links: { sign: async (keys) => keys, keysOf: (imageId) => ({ '128': `thumbnails/${imageId}/128.webp` }) },
    partners: {
      page: async (caller, page) => {
        asked.push({ caller, page });
        return { items: [summary], cursor: 'next' };
      },
      searchScope: async (caller, grantor) => {
        asked.push({ caller, grantor });
        return scope;
      },
      // The older one is, say, archived: a partner does not see it.
      shown: async (_grantor, ids) => new Set(ids.filter((id) => id === IDS.newer)),
    },
  };
  return { fakes, asked, searched };
}

const query = (params: Record<string, string | string[]>) => ListQuerySchema.parse(params);

describe("a partner's list", () => {
  it("hands the partner and the page to the partners' port, and answers each item with its tile", async () => {
    const { fakes, asked } = deps();
    const page = await listImages(query({ partner: 'alice', limit: '5', cursor: 'c1' }), bob, fakes);
    expect(asked).toEqual([{ caller: bob, page: { partner: 'alice', limit: 5, cursor: 'c1' } }]);
    expect(page.cursor).toBe('next');
    expect(page.items).toEqual([
      expect.objectContaining({ imageId: IDS.newer, takenAt: '2025-06-01T10:00:00', width: 640, height: 480 }),
    ]);
  });

  it('asks for every grantor with partners=all', async () => {
    const { fakes, asked } = deps();
    await listImages(query({ partners: 'all' }), bob, fakes);
    expect(asked).toEqual([{ caller: bob, page: { all: true, limit: 20 } }]);
  });

  it("asks for the caller's own timeline merged with every grantor's with partners=include", async () => {
    const { fakes, asked } = deps();
    const page = await listImages(query({ partners: 'include', limit: '3' }), bob, fakes);
    expect(asked).toEqual([{ caller: bob, page: { all: true, mine: true, limit: 3 } }]);
    expect(page.items.map((item) => item.imageId)).toEqual([IDS.newer]);
  });

  it.each([
    [{ partner: 'alice', partners: 'all' }, 'not both'],
    [{ partner: 'alice', partners: 'include' }, 'not both'],
    [{ partners: 'include', q: 'sea' }, 'does not take a search filter'],
    [{ partners: 'include', archived: 'true' }, 'does not take archived'],
    [{ partners: 'include', owner: 'bob' }, 'does not take owner'],
    [{ partners: 'all', tag: ['sea'] }, 'does not take a search filter'],
    [{ partner: 'alice', tag: ['sea'], owner: 'alice' }, 'does not take owner'],
    [{ partner: 'alice', owner: 'alice' }, 'does not take owner'],
    [{ partners: 'all', archived: 'true' }, 'does not take archived'],
    [{ partner: 'alice', status: 'PROCESSED' }, 'does not take status'],
  ])('refuses %j with a 400 that says why', async (params, why) => {
    const { fakes, asked } = deps();
    const listed = listImages(query(params), bob, fakes);
    await expect(listed).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining(why) });
    expect(asked).toEqual([]);
  });

  it("searches the grantor's library as theirs, from the grant's date on, and leaves out what a partner may not see", async () => {
    const { fakes, asked, searched } = deps({ from: '2024-01-01T00:00:00' });
    const page = await listImages(query({ partner: 'alice', tag: ['sea'] }), bob, fakes);
    expect(asked).toEqual([{ caller: bob, grantor: 'alice' }]);
    expect(searched).toEqual([
      expect.objectContaining({
        owner: 'alice',
        filters: expect.objectContaining({ tag: ['sea'], takenAfter: '2024-01-01T00:00:00' }),
      }),
    ]);
    expect(page.items.map((item) => item.imageId)).toEqual([IDS.newer]);
  });

  it('keeps a later takenAfter than the grant begins', async () => {
    const { fakes, searched } = deps({ from: '2024-01-01T00:00:00' });
    await listImages(query({ partner: 'alice', tag: ['sea'], takenAfter: '2025-03-01' }), bob, fakes);
    expect(searched).toEqual([
      expect.objectContaining({ filters: expect.objectContaining({ takenAfter: '2025-03-01T00:00:00' }) }),
    ]);
  });

  it('refuses partners= other than all, and a partner that is no owner id', () => {
    expect(ListQuerySchema.safeParse({ partners: 'some' }).success).toBe(false);
    expect(ListQuerySchema.safeParse({ partners: 'include' }).success).toBe(true);
    expect(ListQuerySchema.safeParse({ partner: 'a#b' }).success).toBe(false);
  });
});
