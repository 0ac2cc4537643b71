import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CopyObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { ImageApiClient } from '../../lambdas/cli/api-client';
import { SearchIndex } from '../../lambdas/search/index-table';
import { termsOf } from '../../lambdas/search/terms';
import type { ImageItem } from '../../lambdas/store/image-item';
import { ImageStore } from '../../lambdas/store/image-store';
import { thumbnailKey } from '../../lambdas/store/keys';
import type { Calibration } from '../../lambdas/vision/calibration';
import { imageIds, imageItem, pendingItem } from '../support/items';
import type { RunnerReady } from '../support/runner-process';

const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const SIZES = [128, 512, 1024];

/**
 * Upload `files` (name, bytes) one after the other, so their upload times are in that order, then wait for them all at
 * once: the runner processes them side by side, where waiting for each before sending the next queued each behind the
 * one before it. Each must end PROCESSED. Their ids by name.
 */
export async function uploadProcessed(
  api: ImageApiClient,
  files: Array<[name: string, bytes: Buffer]>,
  timeoutMs = 120_000,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [name, bytes] of files) ids.set(name, await api.upload(bytes, { filename: name }));
  const statuses = await Promise.all(
    [...ids].map(async ([name, id]) => [name, (await api.waitForFinal(id, timeoutMs)).status]),
  );
  expect(statuses).toEqual([...ids.keys()].map((name) => [name, 'PROCESSED']));
  return ids;
}

/**
 * Put `count` PROCESSED images of `owner` into the runner's table through the store's own writes (a pending record,
 * then the final one, as create-upload and the processor write them), older than anything uploaded so far. The
 * newest `withThumbnails` get real thumbnail objects (copies of `thumbnailsOf`'s), so a gallery's first pages show
 * pictures; the rest are records only. With `monthApart`, each was taken a month after the one before (from January
 * 2015): a timeline with a month header before every photo.
 */
export async function seedImages(
  ready: RunnerReady,
  options: { count: number; owner: string; thumbnailsOf: string; withThumbnails: number; monthApart?: boolean },
): Promise<string[]> {
  const endpoint = ready.endpoint;
  const store = new ImageStore(
    DynamoDBDocumentClient.from(new DynamoDBClient({ ...CLIENT, endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    ready.table,
  );
  const s3 = new S3Client({ ...CLIENT, endpoint, forcePathStyle: true });
  const ids = imageIds(options.count, Date.now() - 24 * 3600 * 1000);
  const limit = pLimit(8);
  await Promise.all(
    ids.map((imageId, index) =>
      limit(async () => {
        const filename = `seeded-${String(index).padStart(4, '0')}.jpg`;
        const base = { imageId, owner: options.owner, bucket: ready.bucket, key: `uploads/${imageId}.jpg`, filename };
        await store.createPending(pendingItem(base));
        const thumbnails = Object.fromEntries(SIZES.map((size) => [String(size), thumbnailKey(imageId, size)]));
        const takenAt = options.monthApart
          ? new Date(Date.UTC(2015, index, 1, 12)).toISOString().slice(0, 19)
          : undefined;
        await store.finalise(imageItem({ ...base, thumbnails, eventPending: false, ...(takenAt ? { takenAt } : {}) }));
        if (index < ids.length - options.withThumbnails) return;
        for (const size of SIZES) {
          await s3.send(
            new CopyObjectCommand({
              Bucket: ready.bucket,
              Key: thumbnailKey(imageId, size),
              CopySource: `${ready.bucket}/${thumbnailKey(options.thumbnailsOf, size)}`,
            }),
          );
        }
      }),
    ),
  );
  return ids;
}

/**
 * Put one PROCESSED image of `owner` into the runner's tables as the processor leaves it: its record, with the terms
 * `calibration` indexes it under (its likely matches at that calibration's retrieval thresholds), and their postings.
 * Newer than anything uploaded so far. Its id.
 */
export async function seedIndexed(
  ready: RunnerReady,
  options: { owner: string; filename: string; vision: ImageItem['vision']; calibration: Calibration },
): Promise<string> {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...CLIENT, endpoint: ready.endpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = new ImageStore(documents, ready.table);
  const [imageId] = imageIds(1, Date.now()) as [string];
  const base = { imageId, owner: options.owner, bucket: ready.bucket, key: `uploads/${imageId}.jpg` };
  await store.createPending(pendingItem({ ...base, filename: options.filename }));
  const item = imageItem({
    ...base,
    filename: options.filename,
    tags: [],
    vision: options.vision,
    eventPending: false,
  });
  const indexed = { ...item, indexedTerms: termsOf(item, options.calibration).terms };
  await store.finalise(indexed);
  await new SearchIndex(documents, ready.searchTable, { records: store }).upsert(indexed);
  return imageId;
}
