import type { ImageItem } from '../../../lambdas/store/image-item';
import { emptyTrashMessages, parseTrashMessage, type TrashMessage } from '../../../lambdas/trash/messages';
import { handleTrashMessage, type PurgeDeps } from '../../../lambdas/trash/purge';
import type { PurgeImageDeps } from '../../../lambdas/trash/purge-image';
import type { TrashPageQuery } from '../../../lambdas/trash/trash-pages';
import { TEST_USER } from '../../support/identities';
import { IDS, imageItem } from '../../support/items';

const NOW = new Date('2026-03-31T12:00:00.000Z');

function trashedItem(overrides: Partial<ImageItem> = {}): ImageItem {
  return imageItem({
    status: 'TRASHED',
    trashedFrom: 'PROCESSED',
    trashedAt: '2026-03-01T10:00:00.000Z',
    purgeAt: '2026-03-31T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  });
}

function setUp(records: ImageItem[] = [], pages: Record<string, { imageIds: string[]; cursor?: string }> = {}) {
  const stored = new Map(records.map((item) => [item.imageId, item]));
  const sent: TrashMessage[] = [];
  const queried: TrashPageQuery[] = [];
  const deleted: string[] = [];
  const claimed: string[] = [];
  const deleteDeps = {
    store: {
      get: async (imageId: string) => stored.get(imageId),
      delete: async (imageId: string) => {
        const item = stored.get(imageId);
        stored.delete(imageId);
        if (item) deleted.push(imageId);
        return item;
      },
    },
    objects: { deleteObjects: async () => undefined },
    cleanups: [],
    publisher: { publish: async () => undefined },
  } as unknown as PurgeImageDeps;
  const deps: PurgeDeps = {
    pages: {
      page: async (query) => {
        queried.push(query);
        return pages[`${query.shard}:${query.cursor ?? ''}`] ?? { imageIds: [] };
      },
    },
    queue: { sendAll: async (messages) => void sent.push(...messages) },
    trash: {
      claimForPurge: async (imageId) => {
        const item = stored.get(imageId);
        if (item?.status !== 'TRASHED') return false;
        stored.set(imageId, { ...item, purging: true });
        claimed.push(imageId);
        return true;
      },
    },
    delete: deleteDeps,
    trashDays: 30,
    now: () => NOW,
  };
  return { stored, sent, queried, deleted, claimed, deps };
}

describe('the trash purge', () => {
  it('fans a sweep out to one message per shard of the trash', async () => {
    const { sent, deps } = setUp();
    expect(await handleTrashMessage({ kind: 'sweep' }, deps)).toBe('swept');
    expect(sent).toEqual(Array.from({ length: 16 }, (_, shard) => ({ kind: 'shard', shard })));
  });

  it("reads a shard of everyone's trash trashed at least trashDays ago, and sends each image on as a purge", async () => {
    const { sent, queried, deps } = setUp([], { '3:': { imageIds: [IDS.older, IDS.newer] } });
    await handleTrashMessage({ kind: 'shard', shard: 3 }, deps);
    expect(queried).toEqual([{ shard: 3, trashedBy: '2026-03-01T12:00:00.000Z' }]);
    expect(sent).toEqual([
      { kind: 'purge', imageId: IDS.older },
      { kind: 'purge', imageId: IDS.newer },
    ]);
  });

  it('sends the next page of a shard as a message of its own, with the cursor', async () => {
    const { sent, deps } = setUp([], { '5:': { imageIds: [IDS.older], cursor: IDS.older } });
    await handleTrashMessage({ kind: 'shard', shard: 5 }, deps);
    expect(sent).toEqual([
      { kind: 'purge', imageId: IDS.older },
      { kind: 'shard', shard: 5, cursor: IDS.older },
    ]);
  });

  it("reads one owner's trash up to the empty's time, and carries that time to each purge", async () => {
    const before = '2026-03-31T11:00:00.000Z';
    const { sent, queried, deps } = setUp([], { '0:': { imageIds: [IDS.newer] } });
    await handleTrashMessage({ kind: 'shard', shard: 0, owner: TEST_USER.sub, before }, deps);
    expect(queried).toEqual([{ shard: 0, owner: TEST_USER.sub, trashedBy: before }]);
    expect(sent).toEqual([{ kind: 'purge', imageId: IDS.newer, before }]);
  });

  it('purges an image past its purge date: claimed first, then deleted as a DELETE does', async () => {
    const { stored, deleted, claimed, deps } = setUp([trashedItem()]);
    expect(await handleTrashMessage({ kind: 'purge', imageId: IDS.newer }, deps)).toBe('purged');
    expect(claimed).toEqual([IDS.newer]);
    expect(deleted).toEqual([IDS.newer]);
    expect(stored.has(IDS.newer)).toBe(false);
  });

  it('keeps an image whose purge date is still ahead (the setting was lowered since it was trashed)', async () => {
    const { deleted, deps } = setUp([trashedItem({ purgeAt: '2026-04-02T00:00:00.000Z' })]);
    expect(await handleTrashMessage({ kind: 'purge', imageId: IDS.newer }, deps)).toBe('skipped');
    expect(deleted).toEqual([]);
  });

  it('keeps an image restored since its page was read', async () => {
    const { deleted, claimed, deps } = setUp([imageItem()]);
    expect(await handleTrashMessage({ kind: 'purge', imageId: IDS.newer }, deps)).toBe('skipped');
    expect(claimed).toEqual([]);
    expect(deleted).toEqual([]);
  });

  it('purges for an emptied trash what was trashed by then, not what was trashed after', async () => {
    const before = '2026-03-02T00:00:00.000Z';
    const early = setUp([trashedItem({ purgeAt: '2026-05-01T00:00:00.000Z' })]);
    expect(await handleTrashMessage({ kind: 'purge', imageId: IDS.newer, before }, early.deps)).toBe('purged');
    const late = setUp([trashedItem({ trashedAt: '2026-03-03T00:00:00.000Z' })]);
    expect(await handleTrashMessage({ kind: 'purge', imageId: IDS.newer, before }, late.deps)).toBe('skipped');
  });

  it('skips an image already gone (a retried purge, or a DELETE ?permanently=true)', async () => {
    const { deps } = setUp();
    expect(await handleTrashMessage({ kind: 'purge', imageId: IDS.newer }, deps)).toBe('skipped');
  });
});

describe('the trash messages', () => {
  it("make an owner's empty one shard message per shard, up to its time", () => {
    const messages = emptyTrashMessages('alice', '2026-03-31T11:00:00.000Z');
    expect(messages).toHaveLength(16);
    expect(new Set(messages.map((message) => (message.kind === 'shard' ? message.shard : -1))).size).toBe(16);
  });

  it('refuse a body that is no trash message', () => {
    expect(() => parseTrashMessage('{"kind":"shard","shard":16}')).toThrow();
    expect(() => parseTrashMessage('{"kind":"burn"}')).toThrow();
    expect(parseTrashMessage('{"kind":"sweep"}')).toEqual({ kind: 'sweep' });
  });
});
