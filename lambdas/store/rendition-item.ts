import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { MetadataSchema, ProcessedRecordSchema, ThumbnailEntrySchema } from '../core/record';
import { VisionSchema } from '../core/vision-schema';
import { ImageItemSchema } from './image-item';

/*
 * What the render function reads of an image's record: only what a rendition is made from, in one GetItem. A whole
 * record carries its vision (text lines, candidates), its search terms and its people, several kilobytes a
 * rendition never looks at; a first rendition request waits for this read before it can look anything up.
 */

/** The analysis as a rendition needs it: what it was made from, and the copies it can be made from. */
const RenditionAnalysisSchema = z.discriminatedUnion('status', [
  ProcessedRecordSchema.pick({ status: true, analysisVersion: true }).extend({
    hashes: ProcessedRecordSchema.shape.hashes.pick({ sha256: true }),
    metadata: MetadataSchema.pick({
      format: true,
      width: true,
      height: true,
      hasAlpha: true,
      bitDepth: true,
      isAnimated: true,
    }),
    thumbnails: z.array(ThumbnailEntrySchema.pick({ size: true, width: true, height: true })),
  }),
  z.object({ status: z.enum(['REJECTED', 'FAILED']) }),
]);

/**
 * An image's record as far as a rendition needs it. A whole record (`ImageItem`) is one too, so a caller that
 * already holds the record passes it as it is.
 */
export const RenditionItemSchema = ImageItemSchema.pick({
  imageId: true,
  status: true,
  key: true,
  sourceBucket: true,
  thumbnails: true,
  eagerRenditions: true,
  moderationPolicy: true,
  position: true,
}).extend({
  analysis: RenditionAnalysisSchema.optional(),
  /** The boxes a smart crop or a censor frames by. */
  vision: VisionSchema.pick({ faces: true, objects: true }).optional(),
});
export type RenditionItem = z.infer<typeof RenditionItemSchema>;

/** The attribute paths the schema above reads, as a ProjectionExpression names them. */
const PATHS = [
  ['imageId'],
  ['status'],
  ['key'],
  ['sourceBucket'],
  ['thumbnails'],
  ['eagerRenditions'],
  ['moderationPolicy'],
  ['position'],
  ['analysis', 'status'],
  ['analysis', 'analysisVersion'],
  ['analysis', 'hashes', 'sha256'],
  ...['format', 'width', 'height', 'hasAlpha', 'bitDepth', 'isAnimated'].map((name) => ['analysis', 'metadata', name]),
  ['analysis', 'thumbnails'],
  ['vision', 'faces'],
  ['vision', 'objects'],
] as const;

const NAMES = Object.fromEntries(PATHS.flat().map((name) => [`#${name}`, name]));
const PROJECTION = PATHS.map((path) => path.map((name) => `#${name}`).join('.')).join(', ');

/** Reads an image's record for a rendition: one consistent GetItem of only what RenditionItemSchema holds. */
export class RenditionItemReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(imageId: string): Promise<RenditionItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { imageId },
        // Consistent: a rendition of an image deleted or analysed again a moment ago must not be made from before.
        ConsistentRead: true,
        ProjectionExpression: PROJECTION,
        ExpressionAttributeNames: NAMES,
      }),
    );
    return Item ? RenditionItemSchema.parse(Item) : undefined;
  }
}
