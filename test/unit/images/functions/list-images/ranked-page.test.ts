import { rankedPage } from '../../../../../lambdas/images/functions/list-images/ranked-page';
import type { SearchFilters } from '../../../../../lambdas/search/filters';
import type { SearchHit } from '../../../../../lambdas/search/index-port';
import { imageIds } from '../../../../support/items';

/*
 * A search by meaning's page (issue 80): a photo in the locked folder keeps its vector (an unlock brings it back), so
 * the vectors find it; the page reads the record of each image found by meaning alone, and leaves it out.
 */

const [open, locked, trashed, byWords] = imageIds(4) as [string, string, string, string];
const AT = { createdAt: '2026-11-28T08:00:00.000Z', updatedAt: '2026-11-28T08:00:00.000Z' };
const filters: SearchFilters = { label: [], object: [], text: [], q: ['beach'], tag: [], place: [] };

function deps(records: Record<string, { owner: string; status: string; locked?: true }>, words: SearchHit[] = []) {
  const read: string[][] = [];
  return {
    read,
    deps: {
      search: async () => ({ items: words }),
      meaning: {
        maxDistance: 0.8,
        nearest: async () => [[locked, open, trashed].map((imageId, i) => ({ imageId, distance: 0.1 + i / 10 }))],
      },
      store: {
        summaries: async (ids: readonly string[]) => {
          read.push([...ids]);
          return new Map(ids.flatMap((id) => (records[id] ? [[id, { ...AT, ...records[id] }] as const] : [])));
        },
      },
      sign: async (keys: Record<string, string>) => keys,
      failed: (error: unknown) => {
        throw error;
      },
    },
  };
}

describe('a search by meaning', () => {
  it('leaves out a locked photo its vector still finds, in the one read of the records it makes anyway', async () => {
    const { deps: ranked, read } = deps({
      [open]: { owner: 'alice', status: 'PROCESSED' },
      [locked]: { owner: 'alice', status: 'PROCESSED', locked: true },
      [trashed]: { owner: 'alice', status: 'TRASHED' },
    });
    const page = await rankedPage({ owner: 'alice', filters }, { limit: 10 }, ranked as never);
    expect(page.items.map((item) => item.imageId)).toEqual([open]);
    expect(page.items[0]).not.toHaveProperty('locked');
    expect(read).toEqual([[locked, open, trashed]]);
  });

  it('leaves out a word hit whose summary says it is locked, reading no record for it', async () => {
    const words: SearchHit[] = [{ imageId: byWords, summary: { ...AT, status: 'PROCESSED', locked: true } as never }];
    const { deps: ranked } = deps({ [open]: { owner: 'alice', status: 'PROCESSED' } }, words);
    const page = await rankedPage({ owner: 'alice', filters }, { limit: 10 }, ranked as never);
    expect(page.items.map((item) => item.imageId)).toEqual([open]);
  });
});
