import { foldStacks } from '../../../../../lambdas/images/functions/list-images/stack-fold';
import type { Stacking } from '../../../../../lambdas/store/image-store';
import type { SearchResult } from '../../../../../lambdas/store/image-view';

const owner = 'alice';
const STACK = 'st_0123456789abcdef0123';
const [primary, frame1, frame2, loose] = [
  '01JABCDEFGHJKMNPQRSTVWXY01',
  '01JABCDEFGHJKMNPQRSTVWXY02',
  '01JABCDEFGHJKMNPQRSTVWXY03',
  '01JABCDEFGHJKMNPQRSTVWXY04',
] as const;

const hit = (imageId: string, extra: Partial<SearchResult> = {}): SearchResult => ({
  imageId,
  status: 'PROCESSED',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  filename: `${imageId}.jpg`,
  ...extra,
});

/** The records' stacking and the primaries' summaries, with the ids each read asked for. */
function storeOf(stacking: Record<string, Stacking>, summaries: Record<string, Record<string, unknown>> = {}) {
  const asked: { stacking: string[][]; summaries: string[][] } = { stacking: [], summaries: [] };
  const store = {
    stacking: async (ids: readonly string[]) => {
      asked.stacking.push([...ids]);
      return new Map(ids.flatMap((id) => (stacking[id] ? [[id, stacking[id]] as const] : [])));
    },
    summaries: async (ids: readonly string[]) => {
      asked.summaries.push([...ids]);
      return new Map(ids.flatMap((id) => (summaries[id] ? [[id, summaries[id]] as const] : []))) as never;
    },
  };
  return { store, asked };
}

const links = {
  sign: async (keys: Record<string, string>) =>
    Object.fromEntries(Object.entries(keys).map(([size, key]) => [size, `signed:${key}`])),
  keysOf: (imageId: string) => ({ '128': `thumbnails/${imageId}/128.webp` }),
};

/** Three frames stacked: the primary with the count, two behind it naming it. */
const stacked: Record<string, Stacking> = {
  [primary]: { stack: { id: STACK, count: 3 } },
  [frame1]: { stackedIn: STACK, stackPrimary: primary },
  [frame2]: { stackedIn: STACK, stackPrimary: primary },
  [loose]: {},
};
const primarySummary = {
  owner,
  status: 'PROCESSED',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  filename: 'primary.jpg',
  stack: { id: STACK, count: 3 },
  thumbnails: { '128': `thumbnails/${primary}/128.webp` },
};

describe('a search page with stacks folded', () => {
  it('shows the primary once, with its count, for the frames it found, naming the first frame', async () => {
    const { store, asked } = storeOf(stacked, { [primary]: primarySummary });
    const why = [{ asked: 'q' as const, word: 'pier', field: 'label' as const, value: 'pier' }];
    const page = await foldStacks([hit(frame2, { matchedBy: why }), hit(loose), hit(frame1)], owner, {
      store,
      links,
    });
    expect(page.map((item) => item.imageId)).toEqual([primary, loose]);
    expect(page[0]).toMatchObject({
      filename: 'primary.jpg',
      stack: { id: STACK, count: 3 },
      matchedFrame: frame2,
      matchedBy: why,
      thumbnails: { '128': `signed:thumbnails/${primary}/128.webp` },
    });
    // One read of where the hits stand, one of the primary not among them.
    expect(asked).toEqual({ stacking: [[frame2, loose, frame1]], summaries: [[primary]] });
  });

  it("shows the primary's own hit where its stack was first found, once, with no frame named", async () => {
    const { store, asked } = storeOf(stacked);
    const page = await foldStacks([hit(frame1), hit(loose), hit(primary)], owner, { store, links });
    expect(page.map((item) => item.imageId)).toEqual([primary, loose]);
    expect(page[0]?.matchedFrame).toBeUndefined();
    expect(page[0]?.stack).toEqual({ id: STACK, count: 3 });
    expect(asked.summaries).toEqual([]);
  });

  it('shows every frame as itself with stacked=expand, each with the stack it is in', async () => {
    const { store } = storeOf(stacked);
    const page = await foldStacks([hit(frame2), hit(frame1), hit(primary)], owner, { store, links }, { expand: true });
    expect(page.map((item) => [item.imageId, item.stack])).toEqual([
      [frame2, { id: STACK }],
      [frame1, { id: STACK }],
      [primary, { id: STACK, count: 3 }],
    ]);
  });

  it('keeps the frame when its primary is trashed, locked or not the owner’s (the stacks room is catching up)', async () => {
    for (const moved of [{ status: 'TRASHED' }, { locked: true }, { owner: 'bob' }]) {
      const { store } = storeOf(stacked, { [primary]: { ...primarySummary, ...moved } });
      const page = await foldStacks([hit(frame1)], owner, { store, links });
      expect(page.map((item) => [item.imageId, item.stack, item.matchedFrame])).toEqual([
        [frame1, { id: STACK }, undefined],
      ]);
    }
  });

  it('takes the stack from the record, not from a posting written before it was stacked or unstacked', async () => {
    const { store } = storeOf({ [primary]: { stack: { id: STACK, count: 3 } }, [loose]: {} });
    const page = await foldStacks([hit(primary), hit(loose, { stack: { id: STACK, count: 2 } })], owner, {
      store,
      links,
    });
    expect(page.map((item) => item.stack)).toEqual([{ id: STACK, count: 3 }, undefined]);
  });

  it('shows a frame stacked before frames named their primary as itself', async () => {
    const { store } = storeOf({ [frame1]: { stackedIn: STACK } });
    const page = await foldStacks([hit(frame1)], owner, { store, links });
    expect(page.map((item) => [item.imageId, item.stack])).toEqual([[frame1, { id: STACK }]]);
  });

  it('reads nothing for an empty page', async () => {
    const { store, asked } = storeOf(stacked);
    await expect(foldStacks([], owner, { store, links })).resolves.toEqual([]);
    expect(asked.stacking).toEqual([]);
  });
});
