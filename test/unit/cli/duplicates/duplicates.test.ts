import { ApiError } from '../../../../lambdas/cli/api-client';
import {
  clusterLines,
  type DuplicateCluster,
  dismissDuplicatesCommand,
  listDuplicatesCommand,
  resolveDuplicatesCommand,
} from '../../../../lambdas/cli/duplicates/duplicates';
import { fakeApi } from '../fake-api';

/*
 * `image-intel duplicates ...` with a fake API: a cluster printed as a block with the suggestion marked, paging, what
 * resolve sends by default and with --keep, and a refusal in the API's words with exit code 1.
 */

const flags = { api: 'http://api.test' };
const A = '01HZZZZZZZZZZZZZZZZZZZZZZA';
const B = '01HZZZZZZZZZZZZZZZZZZZZZZB';
const C = '01HZZZZZZZZZZZZZZZZZZZZZZC';
const cluster: DuplicateCluster = {
  clusterId: '01HCCCCCCCCCCCCCCCCCCCCCC1',
  createdAt: '2026-11-29T10:00:00Z',
  updatedAt: '2026-11-29T10:00:00Z',
  members: [
    {
      imageId: A,
      width: 1600,
      height: 1200,
      bytes: 412_345,
      quality: 0.81,
      metadataCount: 9,
      takenAt: '2024-05-01T10:00:00',
    },
    { imageId: B, width: 800, height: 600, bytes: 98_100, quality: 0.62, metadataCount: 9 },
    { imageId: C, width: 1600, height: 1200, bytes: 120_000, metadataCount: 0 },
  ],
  suggestion: { keep: A, reason: 'highest quality (0.81 against 0.62)' },
};
const resolved = {
  clusterId: cluster.clusterId,
  kept: A,
  trashed: [B, C],
  carried: { tags: ['beach'], albums: [], favourite: true, people: 0, places: 0 },
};

describe('image-intel duplicates', () => {
  it('prints a cluster as a block: each photo with its size, quality and metadata, the suggestion marked', () => {
    const lines = clusterLines(cluster);
    expect(lines[0]).toBe(`cluster ${cluster.clusterId}: 3 photos`);
    expect(lines[1]).toMatch(/^ {2}image id +pixels +size +quality +metadata +taken$/);
    expect(lines[2]).toMatch(
      new RegExp(
        `^  ${A} +1600x1200 +412\\.3 KB +0\\.81 +9 +2024-05-01T10:00:00 +keep \\(highest quality \\(0\\.81 against 0\\.62\\)\\)$`,
      ),
    );
    expect(lines[3]).toMatch(new RegExp(`^  ${B} +800x600 +98\\.1 KB +0\\.62 +9 +-$`));
    expect(lines[4]).toMatch(new RegExp(`^  ${C} +1600x1200 +120\\.0 KB +- +0 +-$`));
  });

  it('lists every open cluster page by page, and says so when there is none', async () => {
    const other = { ...cluster, clusterId: '01HCCCCCCCCCCCCCCCCCCCCCC2' };
    const api = fakeApi((_method, path) =>
      path === '/duplicates?limit=50' ? { items: [cluster], cursor: 'next' } : { items: [other] },
    );
    expect(await listDuplicatesCommand(flags, api.io)).toBe(0);
    expect(api.calls.map(([, path]) => path)).toEqual(['/duplicates?limit=50', '/duplicates?limit=50&cursor=next']);
    expect(api.out.filter((line) => line.startsWith('cluster '))).toHaveLength(2);
    expect(api.out).toContain('');
    const none = fakeApi(() => ({ items: [] }));
    expect(await listDuplicatesCommand(flags, none.io)).toBe(0);
    expect(none.out).toEqual(['no near-duplicates waiting']);
  });

  it('resolves keeping the suggestion and trashing the rest by default, and says what was carried', async () => {
    const api = fakeApi((method) => (method === 'GET' ? { items: [cluster] } : resolved));
    expect(await resolveDuplicatesCommand(cluster.clusterId, flags, api.io)).toBe(0);
    expect(api.calls[1]).toEqual(['POST', `/duplicates/${cluster.clusterId}/resolve`, { keep: [A], trash: [B, C] }]);
    expect(api.out).toEqual([`kept ${A}; 2 moved to the trash: ${B} ${C}`, `carried to ${A}: tags beach; favourite`]);
  });

  it('keeps the photos --keep names, and refuses one not of the cluster before any change', async () => {
    const api = fakeApi((method) => (method === 'GET' ? { items: [cluster] } : { ...resolved, kept: C, trashed: [A] }));
    expect(await resolveDuplicatesCommand(cluster.clusterId, { ...flags, keep: [C, B] }, api.io)).toBe(0);
    expect(api.calls[1]?.[2]).toEqual({ keep: [C, B], trash: [A] });
    const stranger = fakeApi(() => ({ items: [cluster] }));
    expect(
      await resolveDuplicatesCommand(
        cluster.clusterId,
        { ...flags, keep: ['01HXXXXXXXXXXXXXXXXXXXXXXX'] },
        stranger.io,
      ),
    ).toBe(1);
    expect(stranger.calls.every(([method]) => method === 'GET')).toBe(true);
    expect(stranger.err.join('\n')).toContain('not in cluster');
    const gone = fakeApi(() => ({ items: [] }));
    expect(await resolveDuplicatesCommand(cluster.clusterId, flags, gone.io)).toBe(1);
    expect(gone.err.join('\n')).toContain(`no open cluster ${cluster.clusterId}`);
  });

  it('dismisses, and says the API refusal in its words with exit code 1', async () => {
    const api = fakeApi(() => ({ clusterId: cluster.clusterId, dismissed: true }));
    expect(await dismissDuplicatesCommand(cluster.clusterId, { ...flags, json: true }, api.io)).toBe(0);
    expect(api.calls).toEqual([['POST', `/duplicates/${cluster.clusterId}/dismiss`, undefined]]);
    expect(api.out).toEqual([JSON.stringify({ clusterId: cluster.clusterId, dismissed: true })]);
    const refused = fakeApi(() => {
      throw new ApiError(404, `POST /duplicates/${cluster.clusterId}/dismiss: 404 no such open cluster`);
    });
    expect(await dismissDuplicatesCommand(cluster.clusterId, flags, refused.io)).toBe(1);
    expect(refused.err.join('\n')).toContain('404 no such open cluster');
  });
});
