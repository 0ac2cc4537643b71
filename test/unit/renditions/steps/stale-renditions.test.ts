import type { ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import { renditionPrefix } from '../../../../lambdas/renditions/query';
import { deleteStaleRenditions } from '../../../../lambdas/renditions/steps/delete-stale';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import type { ListedObject } from '../../../../lambdas/store/object-pages';
import { searchableItem } from '../../../support/items';

const REPLACED_AT = new Date('2026-11-23T12:00:00.000Z');
const BEFORE = new Date('2026-11-01T00:00:00.000Z');
const AFTER = new Date('2026-11-23T12:00:01.000Z');

/** A PROCESSED item made from these bytes by this ANALYSIS_VERSION, with these eager renditions. */
function made(sha: string, analysisVersion: string, eager: Record<string, string> = {}): ImageItem {
  const item = searchableItem();
  const analysis = item.analysis as Extract<ImageItem['analysis'], { status: 'PROCESSED' }>;
  return {
    ...item,
    analysis: { ...analysis, analysisVersion, hashes: { ...analysis.hashes, sha256: sha } },
    eagerRenditions: eager,
  };
}

const prefix = renditionPrefix(searchableItem().imageId);

/** Ports over a fixed listing (two pages), recording what was deleted and what was noted. */
function portsOver(objects: ListedObject[], failWith?: Error) {
  const deleted: string[] = [];
  const notes: string[] = [];
  const counts: Record<string, number> = {};
  const deps = {
    cleanup: {
      lister: {
        listPage: async (_bucket: string, _prefix: string, next?: string) => {
          if (failWith) throw failWith;
          const half = Math.ceil(objects.length / 2);
          return next === undefined
            ? { objects: objects.slice(0, half), next: 'page-2' }
            : { objects: objects.slice(half) };
        },
      },
      remover: { deleteObjects: async (_bucket: string, keys: readonly string[]) => void deleted.push(...keys) },
    },
    onNote: (message: string) => void notes.push(message),
    onCount: (metric: string, count: number) => {
      counts[metric] = count;
    },
  } as unknown as ProcessorDeps;
  return { deps, deleted, notes, counts };
}

describe('deleting the renditions of an earlier version', () => {
  const listing: ListedObject[] = [
    { key: `${prefix}old-smart.webp`, modified: BEFORE },
    { key: `${prefix}old-card.webp`, modified: BEFORE },
    { key: `${prefix}new-card.webp`, modified: BEFORE },
    { key: `${prefix}rendered-since.webp`, modified: AFTER },
  ];

  it('deletes what was written before the new record, except the keys the new record names', async () => {
    const { deps, deleted, counts } = portsOver(listing);
    const next = made('b'.repeat(64), '2.0.0', { card: `${prefix}new-card.webp` });
    await deleteStaleRenditions(made('b'.repeat(64), '1.0.0'), next, REPLACED_AT, deps);
    expect(deleted).toEqual([`${prefix}old-smart.webp`, `${prefix}old-card.webp`]);
    expect(counts).toEqual({ StaleRenditionsDeleted: 2 });
  });

  it('deletes them when the bytes changed under the same analysis version too', async () => {
    const { deps, deleted } = portsOver(listing);
    await deleteStaleRenditions(made('a'.repeat(64), '1.0.0'), made('b'.repeat(64), '1.0.0'), REPLACED_AT, deps);
    expect(deleted).toHaveLength(3);
  });

  it('keeps them when the new record renders from the same bytes and analysis (their keys still hold)', async () => {
    const { deps, deleted } = portsOver(listing);
    await deleteStaleRenditions(made('b'.repeat(64), '1.0.0'), made('b'.repeat(64), '1.0.0'), REPLACED_AT, deps);
    expect(deleted).toEqual([]);
  });

  it("with renditionsKeepGps, deletes them when the record's position changed: they carry the earlier one", async () => {
    const same = made('b'.repeat(64), '1.0.0');
    const moved = { ...same, position: { latitude: 47.56, longitude: 7.59 } };
    const kept = portsOver(listing);
    kept.deps.renditions = { keepGps: true } as ProcessorDeps['renditions'];
    await deleteStaleRenditions(same, moved, REPLACED_AT, kept.deps);
    expect(kept.deleted).toHaveLength(3);
    // Without the setting no rendition carries a position: the same renditions hold.
    const plain = portsOver(listing);
    await deleteStaleRenditions(same, moved, REPLACED_AT, plain.deps);
    expect(plain.deleted).toEqual([]);
  });

  it('with renditionsKeepDigitalSourceType, deletes them when the declared source type changed', async () => {
    const plainPhoto = made('b'.repeat(64), '1.0.0');
    const ai = {
      ...plainPhoto,
      provenance: { summary: 'ai-generated', basis: 'xmp', digitalSourceType: 'trainedAlgorithmicMedia' },
    } as ImageItem;
    const kept = portsOver(listing);
    kept.deps.renditions = { keepGps: false, keepDigitalSourceType: true } as ProcessorDeps['renditions'];
    await deleteStaleRenditions(plainPhoto, ai, REPLACED_AT, kept.deps);
    expect(kept.deleted).toHaveLength(3);
    // Without the setting no rendition declares one: the same renditions hold.
    const plain = portsOver(listing);
    await deleteStaleRenditions(plainPhoto, ai, REPLACED_AT, plain.deps);
    expect(plain.deleted).toEqual([]);
  });

  it('lists nothing for a first analysis or a record that had no renditions', async () => {
    const { deps, deleted } = portsOver(listing, new Error('must not list'));
    await deleteStaleRenditions(undefined, made('b'.repeat(64), '2.0.0'), REPLACED_AT, deps);
    await deleteStaleRenditions(
      { ...made('b'.repeat(64), '1.0.0'), analysis: undefined },
      made('b'.repeat(64), '2.0.0'),
      REPLACED_AT,
      deps,
    );
    expect(deleted).toEqual([]);
  });

  it('notes a failure instead of failing the processing that already succeeded', async () => {
    const { deps, notes } = portsOver(listing, Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(
      deleteStaleRenditions(made('b'.repeat(64), '1.0.0'), made('b'.repeat(64), '2.0.0'), REPLACED_AT, deps),
    ).resolves.toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/could not be deleted; they go when the image is deleted/)]);
  });
});
