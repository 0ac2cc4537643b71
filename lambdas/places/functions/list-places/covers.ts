import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { Position } from '../../../core/place';
import type { IDownloadPresigner } from '../../../store/image-objects';
import { thumbnailKey } from '../../../store/keys';
import type { CoverDetails } from './list-places';

/*
 * A place's cover as `GET /places` answers it: a presigned GET of a thumbnail (its key is the image id's and the
 * size's: no read), and where the photo was taken, read from its record (projected to its position and how its
 * place was given: BatchGetItem of 100 at a time). So the Places view shows each card's photo, and can place it,
 * without a request per card. A photo whose place its owner named by hand keeps its GPS, which may be elsewhere:
 * its position is no point of the place, and is left out.
 */

/** BatchGetItem's most keys in one request. */
const BATCH = 100;
/** Rounds for the keys DynamoDB leaves unprocessed (throttled): then a cover goes without its position. */
const ROUNDS = 3;

export interface CoverLinks {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  presigner: IDownloadPresigner;
  bucket: string;
  thumbnailSizes: readonly number[];
  ttlSeconds: number;
}

/** The thumbnail a card shows: the smallest of at least 512 pixels, else the largest (as the web app picks one). */
export function coverSize(sizes: readonly number[]): number {
  const large = sizes.filter((size) => size >= 512);
  return large.length > 0 ? Math.min(...large) : Math.max(...sizes);
}

/** Each cover's thumbnail link and, when its record has one, its position. */
export async function coverDetails(imageIds: readonly string[], links: CoverLinks): Promise<Map<string, CoverDetails>> {
  const size = coverSize(links.thumbnailSizes);
  const positions = await positionsOf(imageIds, links);
  const details = new Map<string, CoverDetails>();
  for (const imageId of imageIds) {
    const thumbnailUrl = await links.presigner.presignDownload(
      links.bucket,
      thumbnailKey(imageId, size),
      links.ttlSeconds,
    );
    const position = positions.get(imageId);
    details.set(imageId, position ? { thumbnailUrl, position } : { thumbnailUrl });
  }
  return details;
}

/** The positions of these images' records where their place was not named by hand (`position` is a reserved word). */
async function positionsOf(imageIds: readonly string[], links: CoverLinks): Promise<Map<string, Position>> {
  const found = new Map<string, Position>();
  for (let i = 0; i < imageIds.length; i += BATCH) {
    let keys: Record<string, unknown>[] = imageIds.slice(i, i + BATCH).map((imageId) => ({ imageId }));
    for (let round = 0; keys.length > 0 && round < ROUNDS; round++) {
      const response = await links.client.send(
        new BatchGetCommand({
          RequestItems: {
            [links.tableName]: {
              Keys: keys,
              ProjectionExpression: 'imageId, #position, #place.#source',
              ExpressionAttributeNames: { '#position': 'position', '#place': 'place', '#source': 'source' },
            },
          },
        }),
      );
      for (const item of response.Responses?.[links.tableName] ?? []) {
        const { imageId, position, place } = item as {
          imageId: string;
          position?: Position;
          place?: { source?: string };
        };
        if (position && place?.source !== 'owner') found.set(imageId, position);
      }
      keys = (response.UnprocessedKeys?.[links.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}
