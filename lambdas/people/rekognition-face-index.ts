import { DeleteFacesCommand, type RekognitionClient, SearchFacesCommand } from '@aws-sdk/client-rekognition';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DescribedFace } from './contract';
import type { FaceIndex, FaceMatch, TransactItem } from './face-index';
import { rekognitionRefKey } from './table-design';

export interface RekognitionFaceIndexOptions {
  /** The people table (PEOPLE_TABLE). */
  tableName: string;
  /** The stack's face collection (FACE_COLLECTION_ID). */
  collectionId: string;
  /**
   * SearchFaces' FaceMatchThreshold (similarity, 0-100). Default 90: above the API's own default of 80, favouring
   * precision, since a wrong join shows two people as one while a missed one is mended by a merge. Provisional, like
   * FACE_MATCH_DISTANCE, until an evaluation with Rekognition sets it.
   */
  faceMatchThreshold?: number;
  /** How to wait between BatchGetItem attempts. Default: a timer (tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

/** Matches SearchFaces returns at most per face (its MaxFaces); the BatchGetItem that follows takes 100 keys. */
const MAX_MATCHES = 100;
/** BatchGetItem's unprocessed keys are asked again this many times, then the call fails (a retry of the message). */
const BATCH_ATTEMPTS = 5;

/**
 * The face index of the Rekognition path (docs/people.md): Rekognition keeps the vectors in the stack's collection,
 * and the people table keeps, per indexed face, a ref item from its FaceId to the owner's image, face and person.
 * The collection is shared by every owner; a match is kept only when the searching owner has a ref item for it, so
 * another owner's faces are never candidates.
 */
export class RekognitionFaceIndex implements FaceIndex {
  private readonly threshold: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly rekognition: RekognitionClient,
    private readonly documents: DynamoDBDocumentClient,
    private readonly options: RekognitionFaceIndexOptions,
  ) {
    this.threshold = options.faceMatchThreshold ?? 90;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * The owner's faces of other images like this one, nearest first.
   *
   * 1. SearchFaces by the face's id in the collection (at most 100 matches over the threshold).
   * 2. BatchGetItem of the owner's ref items of the matched ids: a face of another owner has none, and drops out.
   * 3. Faces of this same image (a re-analysis indexes an image again) are not candidates.
   */
  async nearest(
    owner: string,
    imageId: string,
    face: DescribedFace,
    options: { wider?: boolean } = {},
  ): Promise<FaceMatch[]> {
    if (!face.rekognitionFaceId) {
      throw new Error(`face ${face.face} of image ${imageId} has no rekognitionFaceId: it was not indexed`);
    }
    const answer = await this.rekognition.send(
      new SearchFacesCommand({
        CollectionId: this.options.collectionId,
        FaceId: face.rekognitionFaceId,
        // A merge suggestion (`wider`) looks 10 points of similarity below the grouping's threshold.
        FaceMatchThreshold: options.wider ? Math.max(0, this.threshold - 10) : this.threshold,
        MaxFaces: MAX_MATCHES,
      }),
    );
    const similarity = new Map<string, number>();
    for (const match of answer.FaceMatches ?? []) {
      const id = match.Face?.FaceId;
      if (!id || id === face.rekognitionFaceId) continue;
      // One id may come back more than once; BatchGetItem refuses duplicate keys.
      similarity.set(id, Math.max(similarity.get(id) ?? 0, match.Similarity ?? 0));
    }
    const refs = await this.refs(owner, [...similarity.keys()]);
    return refs
      .filter((ref) => ref.imageId !== imageId)
      .map((ref) => ({
        imageId: ref.imageId,
        face: ref.face,
        personId: ref.personId,
        distance: Math.round((1 - (similarity.get(ref.faceId) ?? 0) / 100) * 1e6) / 1e6,
      }))
      .sort((a, b) => a.distance - b.distance || a.imageId.localeCompare(b.imageId) || a.face - b.face);
  }

  /** The writes the grouping's transaction adds for a face it assigned: the Put of its ref item. */
  entries(owner: string, imageId: string, face: DescribedFace, personId: string): TransactItem[] {
    if (!face.rekognitionFaceId) return [];
    return [
      {
        Put: {
          TableName: this.options.tableName,
          Item: { ...rekognitionRefKey(owner, face.rekognitionFaceId), imageId, face: face.face, personId },
        },
      },
    ];
  }

  /**
   * Forget a face: its vector from the collection now, then its ref item in the removal's transaction (returned).
   * In that order a failure in between leaves a ref to a vector SearchFaces no longer returns (harmless), never a
   * vector no ref names (kept, billed and never deleted). Both steps are idempotent. The image id is the FaceIndex
   * interface's (the offline index needs it for its bucket items); a Rekognition face is named by its own id.
   */
  async remove(owner: string, _imageId: string, face: DescribedFace): Promise<TransactItem[]> {
    if (!face.rekognitionFaceId) return [];
    await this.rekognition.send(
      new DeleteFacesCommand({ CollectionId: this.options.collectionId, FaceIds: [face.rekognitionFaceId] }),
    );
    return [{ Delete: { TableName: this.options.tableName, Key: rekognitionRefKey(owner, face.rekognitionFaceId) } }];
  }

  /** The owner's ref items of these face ids (those it has), unprocessed keys asked again. */
  private async refs(
    owner: string,
    faceIds: string[],
  ): Promise<{ faceId: string; imageId: string; face: number; personId: string }[]> {
    const { tableName } = this.options;
    let keys: Record<string, unknown>[] = faceIds.map((id) => rekognitionRefKey(owner, id));
    const found: Record<string, unknown>[] = [];
    for (let attempt = 1; keys.length > 0; attempt++) {
      if (attempt > BATCH_ATTEMPTS) throw new Error(`people table: ${keys.length} face refs unread after retries`);
      // Unprocessed keys mean the table is pressed: back off before asking again (50, 100, 200, 400 ms).
      if (attempt > 1) await this.sleep(25 * 2 ** (attempt - 1));
      const answer = await this.documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      found.push(...(answer.Responses?.[tableName] ?? []));
      keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    const prefix = `${owner}#REK#`;
    return found.flatMap((item) => {
      const { pk, imageId, face, personId } = item as { pk: string; imageId: string; face: number; personId: string };
      return pk.startsWith(prefix) ? [{ faceId: pk.slice(prefix.length), imageId, face, personId }] : [];
    });
  }
}
