import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Position } from '../../../core/place';
import { batchGetImages } from '../../../store/batch-get';
import { isShown } from '../../../store/image-item';
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

/**
 * Each cover's thumbnail link and, when its record has one, its position. A cover whose record says it is in the
 * trash or the locked folder (isShown) has none: the place is answered without a cover. The counters lose such a
 * photo with its postings (search/place-counts.ts); this is the check of the record the page reads anyway, in the
 * same projection, for a counter that still names one.
 */
export async function coverDetails(imageIds: readonly string[], links: CoverLinks): Promise<Map<string, CoverDetails>> {
  const size = coverSize(links.thumbnailSizes);
  const { positions, hidden } = await recordsOf(imageIds, links);
  const details = new Map<string, CoverDetails>();
  for (const imageId of imageIds) {
    if (hidden.has(imageId)) continue;
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

/**
 * The positions of these images' records where their place was not named by hand (`position` is a reserved word), and
 * which of them may not be shown (trash, locked folder).
 */
async function recordsOf(
  imageIds: readonly string[],
  links: CoverLinks,
): Promise<{ positions: Map<string, Position>; hidden: Set<string> }> {
  const projection = {
    expression: 'imageId, #position, #place.#source, #status, #locked',
    names: {
      '#position': 'position',
      '#place': 'place',
      '#source': 'source',
      '#status': 'status',
      '#locked': 'locked',
    },
  };
  const positions = new Map<string, Position>();
  const hidden = new Set<string>();
  for (const item of await batchGetImages(links.client, links.tableName, imageIds, projection, ROUNDS)) {
    const { imageId, position, place, ...shown } = item as {
      imageId: string;
      position?: Position;
      place?: { source?: string };
      status?: string;
      locked?: boolean;
    };
    if (!isShown(shown)) hidden.add(imageId);
    else if (position && place?.source !== 'owner') positions.set(imageId, position);
  }
  return { positions, hidden };
}
