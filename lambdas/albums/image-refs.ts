import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetImages } from '../store/batch-get';

/**
 * What adding an image to an album reads of its record: whose it is, its status, whether it is locked (isShown),
 * where it sorts by date taken.
 */
export interface ImageRef {
  imageId: string;
  owner?: string;
  status?: string;
  locked?: boolean;
  takenKey?: string;
}

/** Rounds of asking again for keys DynamoDB left unprocessed (throttling). */
const GET_ROUNDS = 4;

/** The records of these images in the results table, projected to an ImageRef (one BatchGetItem per 100). */
export class ImageRefs {
  constructor(
    private readonly dynamo: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async refsOf(imageIds: readonly string[]): Promise<Map<string, ImageRef>> {
    const projection = {
      expression: '#imageId, #owner, #status, #locked, #takenKey',
      names: {
        '#imageId': 'imageId',
        '#owner': 'owner',
        '#status': 'status',
        '#locked': 'locked',
        '#takenKey': 'takenKey',
      },
    };
    const found = await batchGetImages(this.dynamo, this.tableName, imageIds, projection, GET_ROUNDS);
    return new Map(found.map((item) => [String(item.imageId), item as unknown as ImageRef]));
  }
}
