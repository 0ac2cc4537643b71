import { type DynamoDBDocumentClient, QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type DescribedFace, FACE_MATCH_DISTANCE } from './contract';
import { checkedDescriptor, decodeDescriptor, descriptorDistance, encodeDescriptor } from './descriptor';
import { bucketsOf, probesOf } from './lsh';
import { faceNumber } from './table-design';

/** One request of a TransactWriteItems (Put, Update, Delete or ConditionCheck), as the document client takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A face of another image of the owner, near the one asked about. */
export interface FaceMatch {
  imageId: string;
  /** Its index in that image's `vision.faces`. */
  face: number;
  /** The person it joined when it was grouped (possibly merged since: the store resolves `mergedInto`). */
  personId: string;
  /** Euclidean between descriptors; for an index that compares elsewhere (Rekognition), its own measure mapped so. */
  distance: number;
}

/**
 * Where a new face's candidates come from: the offline descriptors' LSH buckets in the people table (LshFaceIndex),
 * or Rekognition's collection. The store writes what `entries` gives in the same transaction as the face item, so
 * a face is findable exactly when it is grouped.
 */
export interface FaceIndex {
  /**
   * The owner's faces of OTHER images within the match distance, nearest first; `wider`: within the (larger)
   * distance at which two people are suggested for a merge (suggestions.ts).
   */
  nearest(owner: string, imageId: string, face: DescribedFace, options?: { wider?: boolean }): Promise<FaceMatch[]>;
  /** The Puts that make this face findable, for the face's own transaction. */
  entries(owner: string, imageId: string, face: DescribedFace, personId: string): TransactItem[];
  /** The Deletes that make it unfindable, for its removal's transaction (an outside index is cleared here too). */
  remove(owner: string, imageId: string, face: DescribedFace): Promise<TransactItem[]>;
}

export interface LshFaceIndexOptions {
  /** Faces within this distance match. Default FACE_MATCH_DISTANCE (the bench passes others to choose it). */
  maxDistance?: number;
  /** Items read from one probed bucket at most. Default PROBE_LIMIT. */
  probeLimit?: number;
}

/**
 * Items one probed bucket's Query reads at most, newest images first. A bucket holds the owner's faces whose
 * descriptors fall in the same slots of 8 random projections (lsh.ts), mostly faces of one or a few people; 100 of them (about
 * 60 KB, 8 read units eventually consistent) are plenty to find a person, and the cap bounds a new face's cost at
 * 36 probes x 100 items whatever the owner's library holds. A person with more than 100 faces in a bucket is still
 * found (any of its faces is a match); a rare person sharing a crowded bucket may be missed there and found in
 * another table's bucket.
 */
export const PROBE_LIMIT = 100;

/**
 * Two people with faces this close (Euclidean, offline descriptors) are suggested for a merge: dlib's own "same
 * person" line, above FACE_MATCH_DISTANCE (0.5) which grouping joins at. In the bench the farthest pair of one
 * person's copies is 0.453 apart and the closest pair of two people 0.587 (docs/people.md, accuracy).
 */
export const SUGGESTION_DISTANCE = 0.6;

/** The attributes a bucket item holds besides its key. */
interface BucketItem {
  imageId: string;
  face: number;
  personId: string;
  descriptor: Uint8Array;
}

/**
 * The offline descriptors' index: each face is put in one bucket of each LSH table (lsh.ts), under its owner's
 * key, with its descriptor; a new face reads its 36 probed buckets, and the exact Euclidean distance between
 * descriptors decides. Faces of the same image and of other owners are never candidates.
 */
export class LshFaceIndex implements FaceIndex {
  private readonly maxDistance: number;
  private readonly probeLimit: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: LshFaceIndexOptions = {},
  ) {
    this.maxDistance = options.maxDistance ?? FACE_MATCH_DISTANCE;
    this.probeLimit = options.probeLimit ?? PROBE_LIMIT;
  }

  async nearest(
    owner: string,
    imageId: string,
    face: DescribedFace,
    options: { wider?: boolean } = {},
  ): Promise<FaceMatch[]> {
    const descriptor = checkedDescriptor(face.descriptor, face.face);
    const maxDistance = options.wider ? Math.max(this.maxDistance, SUGGESTION_DISTANCE) : this.maxDistance;
    const probed = await Promise.all(
      probesOf(descriptor).map(async ({ table, key }) => {
        const { Items = [] } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': bucketKey(owner, table, key) },
            ProjectionExpression: 'imageId, face, personId, #descriptor',
            ExpressionAttributeNames: { '#descriptor': 'descriptor' },
            ScanIndexForward: false,
            Limit: this.probeLimit,
          }),
        );
        return Items as BucketItem[];
      }),
    );
    const matches = new Map<string, FaceMatch>();
    for (const item of probed.flat()) {
      const key = `${item.imageId}#${item.face}`;
      if (item.imageId === imageId || matches.has(key)) continue;
      const distance = descriptorDistance(descriptor, decodeDescriptor(item.descriptor));
      if (distance > maxDistance) continue;
      matches.set(key, { imageId: item.imageId, face: item.face, personId: item.personId, distance });
    }
    return [...matches.values()].sort((a, b) => a.distance - b.distance);
  }

  entries(owner: string, imageId: string, face: DescribedFace, personId: string): TransactItem[] {
    const descriptor = checkedDescriptor(face.descriptor, face.face);
    const encoded = encodeDescriptor(descriptor);
    // Bucketed as stored (float32), so `remove`, given the stored descriptor, finds the same buckets.
    return bucketsOf(decodeDescriptor(encoded)).map((key, table) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          pk: bucketKey(owner, table, key),
          sk: bucketSortKey(imageId, face.face),
          imageId,
          face: face.face,
          personId,
          descriptor: encoded,
        },
      },
    }));
  }

  async remove(owner: string, imageId: string, face: DescribedFace): Promise<TransactItem[]> {
    const descriptor = checkedDescriptor(face.descriptor, face.face);
    return bucketsOf(decodeDescriptor(encodeDescriptor(descriptor))).map((key, table) => ({
      Delete: {
        TableName: this.tableName,
        Key: { pk: bucketKey(owner, table, key), sk: bucketSortKey(imageId, face.face) },
      },
    }));
  }
}

/** `<owner>#FB#<table>#<slots>` (lsh.ts `bucketKeyOf`, e.g. `0.-1.2.0.1.0.-3.1`). */
export function bucketKey(owner: string, table: number, key: string): string {
  return `${owner}#FB#${table}#${key}`;
}

function bucketSortKey(imageId: string, face: number): string {
  return `${imageId}#${faceNumber(face)}`;
}
