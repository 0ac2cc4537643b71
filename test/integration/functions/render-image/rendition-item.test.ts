import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../../../lambdas/local/tables';
import { renderableImage } from '../../../../lambdas/renditions/urls';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { RenditionItemReader, RenditionItemSchema } from '../../../../lambdas/store/rendition-item';
import { imageIds, searchableItem } from '../../../support/items';
import { testEndpoint } from '../../../support/shared-moto';

/*
 * Issue 57: the render function reads only what a rendition needs of a record, in one GetItem with a projection, on
 * the run's moto: the same rendition facts as the whole record gives, and none of the record's other attributes.
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const table = `rendition-item-${randomUUID().slice(0, 8)}`;
const dynamodb = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const reader = new RenditionItemReader(documents, table);
const [processedId, rejectedId, missingId] = imageIds(3) as [string, string, string];

/** A whole record: everything search, people and places write, besides what a rendition reads. */
function wholeRecord(): ImageItem {
  const item = searchableItem();
  const analysis = item.analysis as Extract<ImageItem['analysis'], { status: 'PROCESSED' }>;
  return {
    ...item,
    imageId: processedId,
    key: `uploads/${processedId}.jpg`,
    sourceBucket: 'old-photos',
    thumbnails: { '1024': `thumbnails/${processedId}/1024.webp` },
    eagerRenditions: { card: `renditions/${processedId}/card` },
    moderationPolicy: { source: 'default', triggered: [], blurred: true },
    position: { latitude: 47.56, longitude: 7.59 },
    indexedTerms: ['object=cup', 'label=coffee cup', 'text=cafe'],
    analysis: { ...analysis, thumbnails: [{ size: 1024, width: 4, height: 3, bytes: 90, format: 'webp' }] },
  };
}

beforeAll(async () => {
  await createTable(dynamodb, table);
  await documents.send(new PutCommand({ TableName: table, Item: wholeRecord() }));
  await documents.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...wholeRecord(),
        imageId: rejectedId,
        status: 'REJECTED',
        analysis: {
          status: 'REJECTED',
          size: 0,
          analysisVersion: '1.2.0',
          durationMs: 1,
          rejection: { code: 'EMPTY_FILE', message: 'the file is empty (0 bytes)' },
          hashes: { sha256: 'c'.repeat(64) },
        },
      },
    }),
  );
});

it('reads what a rendition is made from, as the whole record says it', async () => {
  const whole = wholeRecord();
  const read = await reader.get(processedId);

  expect(read).toEqual(RenditionItemSchema.parse(whole));
  expect(renderableImage(read as NonNullable<typeof read>)).toEqual(renderableImage(whole));
  expect(read).toMatchObject({
    sourceBucket: 'old-photos',
    eagerRenditions: { card: `renditions/${processedId}/card` },
    moderationPolicy: { blurred: true },
    position: { latitude: 47.56, longitude: 7.59 },
    vision: { faces: whole.vision?.faces, objects: whole.vision?.objects },
  });
});

it('leaves out what a rendition never reads: the search terms, people, place, text, palette and quality', async () => {
  const read = (await reader.get(processedId)) as Record<string, unknown>;

  expect(Object.keys(read).sort()).toEqual(
    [
      'analysis',
      'eagerRenditions',
      'imageId',
      'key',
      'moderationPolicy',
      'position',
      'sourceBucket',
      'status',
      'thumbnails',
      'vision',
    ].sort(),
  );
  expect(Object.keys(read.analysis as object).sort()).toEqual(
    ['analysisVersion', 'hashes', 'metadata', 'status', 'thumbnails'].sort(),
  );
  expect(Object.keys(read.vision as object).sort()).toEqual(['faces', 'objects']);
});

it('reads a record that is not PROCESSED, which has no renditions', async () => {
  const read = await reader.get(rejectedId);

  expect(read?.analysis).toEqual({ status: 'REJECTED' });
  expect(renderableImage(read as NonNullable<typeof read>)).toBeUndefined();
});

it('answers undefined for an image with no record', async () => {
  await expect(reader.get(missingId)).resolves.toBeUndefined();
});
