import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ImageCleanup } from '../../../lambdas/kit/image-cleanup';
import {
  cleanupEnvironment,
  cleanupEnvSchema,
  cleanupUses,
  openCleanups,
  ROOM_CLEANUPS,
  withCleanups,
} from '../../../lambdas/manifest/cleanups';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { type PurgeImageDeps, purgeImage } from '../../../lambdas/trash/purge-image';
import { restoreImage, trashImage } from '../../../lambdas/trash/trash-image';
import { declaredWiring } from '../../support/declared-wiring';
import { TEST_USER } from '../../support/identities';
import { IDS, imageItem } from '../../support/items';

/** The cleanups a purge calls: every one with a purge hook (those that name no occasion have one). */
const PURGED = ROOM_CLEANUPS.filter(({ contract }) => (contract.occasions ?? ['purge']).includes('purge'));

const me = { owner: TEST_USER.sub, admin: false };

/** The cleanups' variables as the stack wires them by default: face grouping and search by meaning off. */
const ENV = cleanupEnvironment(
  { ...declaredWiring(), settings: DEFAULT_SETTINGS, people: undefined, meaning: undefined },
  'purge',
  'trash',
);

/** A room the trash has never heard of, that records what it was asked. */
function trialRoom(calls: string[]): ImageCleanup {
  return {
    name: 'trial',
    remove: async (image) => void calls.push(`trial remove ${image.imageId}`),
    removeLate: async (last) => void calls.push(`trial late ${last.imageId}`),
    trashed: async (image) => void calls.push(`trial trashed ${image.status}`),
    restored: async (image) => void calls.push(`trial restored ${image.status}`),
  };
}

function purgeDeps(item: ImageItem, cleanups: ImageCleanup[], calls: string[]): PurgeImageDeps {
  let held: ImageItem | undefined = item;
  return {
    store: {
      get: async () => held,
      delete: async () => {
        calls.push('record');
        const last = held;
        held = undefined;
        return last;
      },
    },
    objects: { deleteObjects: async () => void calls.push('objects') },
    cleanups,
    publisher: { publish: async () => void calls.push('event') },
  };
}

describe('the rooms that keep data about an image', () => {
  it('run a registered cleanup on purge, between the objects and the record, without the trash naming it', async () => {
    const calls: string[] = [];
    await purgeImage(IDS.newer, me, purgeDeps(imageItem(), [trialRoom(calls)], calls));
    expect(calls).toEqual(['objects', `trial remove ${IDS.newer}`, 'record', `trial late ${IDS.newer}`, 'event']);
  });

  it('keep the record when a cleanup fails, so a retried purge finishes the job', async () => {
    const calls: string[] = [];
    const failing: ImageCleanup = { name: 'down', remove: async () => Promise.reject(new Error('room down')) };
    await expect(purgeImage(IDS.newer, me, purgeDeps(imageItem(), [failing], calls))).rejects.toThrow('room down');
    expect(calls).not.toContain('record');
  });

  it("call a cleanup's trash hooks when the image moves to the trash and back", async () => {
    const calls: string[] = [];
    let record: ImageItem = imageItem();
    const trash = {
      trash: async (item: ImageItem, move: { at: string; purgeAt: string }) => {
        record = { ...item, status: 'TRASHED', trashedFrom: 'PROCESSED', trashedAt: move.at, purgeAt: move.purgeAt };
        return record;
      },
      restore: async (item: ImageItem) => {
        record = { ...item, status: 'PROCESSED', trashedFrom: undefined };
        return record;
      },
    };
    const deps = {
      store: { get: async () => record },
      trash,
      cleanups: [trialRoom(calls)],
      publisher: { publish: async () => undefined },
    };
    await trashImage(IDS.newer, me, { ...deps, trashDays: 30 });
    await restoreImage(IDS.newer, me, deps);
    expect(calls).toEqual(['trial trashed TRASHED', 'trial restored PROCESSED']);
  });

  it('are opened in the registry order, leaving out a room whose feature is off', () => {
    // Opening makes clients and stores; nothing is called.
    const clients = { dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})), s3: new S3Client({}) };
    // A purge calls every cleanup with a purge (the archive's own, stacks-archive, has none).
    const registered = PURGED.map(({ contract }) => contract.name);
    const opened = openCleanups('a test', ENV, clients, 'purge').map((cleanup) => cleanup.name);
    // Face grouping and search by meaning are off: their rooms open nothing.
    expect(opened).toEqual(registered.filter((name) => !['people', 'search by meaning'].includes(name)));
    expect(opened).toEqual(expect.arrayContaining(['search postings', 'renditions', 'albums']));
    expect(openCleanups('a test', ENV, clients, 'trash').map((cleanup) => cleanup.name)).toEqual([
      'search postings',
      'near-duplicates',
      'stacks',
    ]);
    expect(openCleanups('a test', ENV, clients, 'archive').map((cleanup) => cleanup.name)).toEqual(['stacks-archive']);
    expect(() => openCleanups('a test', { FACE_GROUPING: 'false' }, clients, 'trash')).toThrow(
      'invalid environment for a test: SEARCH_TABLE_NAME',
    );
  });

  it("give a function each cleanup's variables, checks and uses", () => {
    const schema = cleanupEnvSchema('purge');
    const refused = schema.safeParse({ ...ENV, FACE_GROUPING: 'true' });
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual([
      'PEOPLE_TABLE is required when FACE_GROUPING=true',
    ]);
    expect(cleanupUses('purge')).toEqual(PURGED.flatMap(({ contract }) => contract.uses));
    expect(cleanupUses('archive')).toEqual([
      { resource: 'stacks', kind: 'declared-items', actions: ['GetItem', 'PutItem'] },
      { resource: 'results', kind: 'results-items', actions: ['GetItem', 'UpdateItem'] },
    ]);
    expect(cleanupUses('trash')).toEqual([
      { resource: 'search', kind: 'declared-items', actions: expect.any(Array) },
      { resource: 'duplicates', kind: 'declared-items', actions: ['GetItem', 'UpdateItem', 'DeleteItem'] },
      { resource: 'stacks', kind: 'declared-items', actions: ['GetItem', 'PutItem', 'DeleteItem'] },
      { resource: 'results', kind: 'results-items', actions: ['GetItem', 'UpdateItem'] },
    ]);
  });

  it("add the cleanups' variables, environment and uses to a function that runs them, and to no other", () => {
    const own = {
      environmentFor: (_wiring: unknown) => ({ OWN: 'own' }),
      envSchema: z.object({ OWN: z.string() }),
      uses: [],
    };
    expect(withCleanups(own)).toBe(own);
    const trash = withCleanups({ ...own, cleansUp: ['trash'] as const });
    const wiring = {
      searchTableName: 'search',
      tableName: 'images',
      duplicates: { tableName: 'duplicates' },
      stacks: { tableName: 'stacks' },
    };
    const environment = trash.environmentFor(wiring as never);
    expect(environment).toEqual({
      OWN: 'own',
      SEARCH_TABLE_NAME: 'search',
      DUPLICATES_TABLE: 'duplicates',
      STACKS_TABLE: 'stacks',
      TABLE_NAME: 'images',
    });
    expect(trash.envSchema.parse(environment)).toEqual(environment);
    expect(trash.envSchema.safeParse({ OWN: 'own' }).success).toBe(false);
    expect(trash.uses).toEqual(cleanupUses('trash'));
  });
});
