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
 * same projection, for a counter that still names one. For a partner (`partnerOf`: the grantor), a cover is also left
 * out when it is archived or no longer the grantor's, as a partner's list leaves it out.
 */
export async function coverDetails(
  imageIds: readonly string[],
  links: CoverLinks,
  partnerOf?: string,
): Promise<Map<string, CoverDetails>> {
  const size = coverSize(links.thumbnailSizes);
  const { positions, hidden, found } = await recordsOf(imageIds, links, partnerOf);
  const details = new Map<string, CoverDetails>();
  for (const imageId of imageIds) {
    // A partner's cover is one whose record was read and is the grantor's, not one merely not known to be hidden.
    if (hidden.has(imageId) || (partnerOf !== undefined && !found.has(imageId))) continue;
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
 * which of them may not be shown (trash, locked folder; to a partner of `partnerOf`, archived or another's too).
 */
async function recordsOf(
  imageIds: readonly string[],
  links: CoverLinks,
  partnerOf: string | undefined,
): Promise<{ positions: Map<string, Position>; hidden: Set<string>; found: Set<string> }> {
  const projection = {
    expression: 'imageId, #position, #place.#source, #status, #locked, #owner, #archived',
    names: {
      '#position': 'position',
      '#place': 'place',
      '#source': 'source',
      '#status': 'status',
      '#locked': 'locked',
      '#owner': 'owner',
      '#archived': 'archived',
    },
  };
  const positions = new Map<string, Position>();
  const hidden = new Set<string>();
  const found = new Set<string>();
  for (const item of await batchGetImages(links.client, links.tableName, imageIds, projection, ROUNDS)) {
    const { imageId, position, place, owner, archived, ...shown } = item as {
      imageId: string;
      position?: Position;
      place?: { source?: string };
      status?: string;
      locked?: boolean;
      owner?: string;
      archived?: boolean;
    };
    found.add(imageId);
    const partnerHidden = partnerOf !== undefined && (owner !== partnerOf || archived === true);
    if (!isShown(shown) || partnerHidden) hidden.add(imageId);
    else if (position && place?.source !== 'owner') positions.set(imageId, position);
  }
  return { positions, hidden, found };
}
