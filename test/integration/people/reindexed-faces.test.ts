import type { DescribedFace, FaceDescriptions } from '../../../lambdas/people/contract';
import type { FaceIndex, FaceMatch, TransactItem } from '../../../lambdas/people/face-index';
import { PeopleStore } from '../../../lambdas/people/people-store';
import { box, createPeopleTable, imageId, type PeopleMoto, peopleMoto } from '../../support/people-table';

jest.setTimeout(120_000);

/**
 * With Rekognition, every analysis of an image indexes its faces again (IndexFaces gives them new ids). A retried
 * or re-analysed image keeps its first face ids; the new vectors must leave the collection, or SearchFaces keeps
 * finding faces no ref names, and each is billed every month.
 */
class RecordingIndex implements FaceIndex {
  readonly removed: string[] = [];
  async nearest(): Promise<FaceMatch[]> {
    return [];
  }
  entries(): TransactItem[] {
    return [];
  }
  async remove(_owner: string, _imageId: string, face: DescribedFace): Promise<TransactItem[]> {
    this.removed.push(face.rekognitionFaceId ?? `offline face ${face.face}`);
    return [];
  }
}

const indexed = (...faceIds: string[]): FaceDescriptions => ({
  faces: faceIds.map((rekognitionFaceId, face) => ({ face, box: box(face), rekognitionFaceId })),
  skipped: { tooSmall: 0, overCap: 0 },
});

let moto: PeopleMoto;
let index: RecordingIndex;
let store: PeopleStore;

beforeAll(() => {
  moto = peopleMoto();
});
afterAll(() => moto.dynamodb.destroy());
beforeEach(async () => {
  index = new RecordingIndex();
  store = new PeopleStore(moto.client, await createPeopleTable(moto.dynamodb), index);
});

it('deletes the vectors a second indexing of the image made, keeping the faces and people of the first', async () => {
  const first = await store.groupFaces('ada', imageId(1), indexed('face-a', 'face-b'));
  const again = await store.groupFaces('ada', imageId(1), indexed('face-c', 'face-d'));
  expect(again).toEqual(first);
  expect(index.removed).toEqual(['face-c', 'face-d']);
});

it('removes nothing when the same faces come again (a retry of the grouping alone)', async () => {
  await store.groupFaces('ada', imageId(1), indexed('face-a'));
  await store.groupFaces('ada', imageId(1), indexed('face-a'));
  expect(index.removed).toEqual([]);
});
