import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { CLEANUP_CONTRACTS, checkCleanupEnv, cleanupEnvShape, cleanupUses } from '../../../lambdas/cleanups/contract';
import { openCleanups } from '../../../lambdas/cleanups/open';
import type { ImageCleanup } from '../../../lambdas/kit/image-cleanup';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { type PurgeImageDeps, purgeImage } from '../../../lambdas/trash/purge-image';
import { restoreImage, trashImage } from '../../../lambdas/trash/trash-image';
import { TEST_USER } from '../../support/identities';
import { IDS, imageItem } from '../../support/items';

const me = { owner: TEST_USER.sub, admin: false };

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
    const env = { SEARCH_TABLE_NAME: 'search', ALBUMS_TABLE: 'albums', FACE_GROUPING: false };
    const clients = { dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})), s3: new S3Client({}) };
    expect(openCleanups(env, clients, 'purge').map((cleanup) => cleanup.name)).toEqual([
      'renditions',
      'search postings',
      'albums',
    ]);
    expect(openCleanups(env, clients, 'trash').map((cleanup) => cleanup.name)).toEqual(['search postings']);
  });

  it("give a function each cleanup's variables, checks and uses", () => {
    const schema = z
      .object(cleanupEnvShape('purge'))
      .superRefine((env, context) => checkCleanupEnv(env, context, 'purge'));
    const refused = schema.safeParse({ SEARCH_TABLE_NAME: 's', ALBUMS_TABLE: 'a', FACE_GROUPING: 'true' });
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual([
      'PEOPLE_TABLE is required when FACE_GROUPING=true',
    ]);
    expect(cleanupUses('purge')).toEqual(CLEANUP_CONTRACTS.flatMap((contract) => contract.uses));
    expect(cleanupUses('trash')).toEqual([{ resource: 'search', kind: 'declared-items', actions: expect.any(Array) }]);
  });
});
