import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteFacesCommand, RekognitionClient, SearchFacesCommand } from '@aws-sdk/client-rekognition';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { DescribedFace } from '../../../lambdas/people/contract';
import { RekognitionFaceIndex } from '../../../lambdas/people/rekognition-face-index';
import { rekognitionRefKey } from '../../../lambdas/people/table-design';
import { fixture } from '../../fixtures';

/** SearchFaces and DeleteFaces answers as the API reference shows them (test/fixtures/rekognition). */
const recorded = (name: string) => JSON.parse(fixture(`rekognition/${name}.json`).toString('utf8'));
const ONE = '11111111-2222-3333-4444-555555555555';
const TWO = '22222222-2222-3333-4444-555555555555';
const SEARCHED = '99999999-2222-3333-4444-555555555555';
const IMAGE = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const OTHER_IMAGE = '01JD3W7Q1ZK7Y6G5S4R3P2N1M1';

const rekognitionClient = new RekognitionClient({ region: 'eu-west-1' });
const rekognition = mockClient(rekognitionClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const waits: number[] = [];
const index = new RekognitionFaceIndex(
  rekognitionClient,
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  {
    tableName: 'people',
    collectionId: 'image-intel-faces',
    sleep: async (ms) => {
      waits.push(ms);
    },
  },
);
const face: DescribedFace = {
  face: 0,
  box: { left: 0.1, top: 0.1, width: 0.2, height: 0.2 },
  rekognitionFaceId: SEARCHED,
};
const ref = (owner: string, faceId: string, imageId: string, n: number, personId: string) => ({
  ...rekognitionRefKey(owner, faceId),
  imageId,
  face: n,
  personId,
});

describe('RekognitionFaceIndex', () => {
  beforeEach(() => {
    rekognition.reset();
    dynamo.reset();
    waits.length = 0;
    rekognition.on(SearchFacesCommand).resolves(recorded('search-faces'));
    rekognition.on(DeleteFacesCommand).resolves(recorded('delete-faces'));
  });

  it("searches the collection by the face's id, then reads only the owner's refs of the matches", async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { people: [ref('ada', TWO, OTHER_IMAGE, 1, 'P2')] } });
    await index.nearest('ada', IMAGE, face);
    expect(rekognition).toHaveReceivedCommandWith(SearchFacesCommand, {
      CollectionId: 'image-intel-faces',
      FaceId: SEARCHED,
      FaceMatchThreshold: 90,
      MaxFaces: 100,
    });
    // The example answer names ONE twice: asked once (BatchGetItem refuses duplicate keys).
    expect(rekognition).toHaveReceivedCommandTimes(SearchFacesCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { people: { Keys: [rekognitionRefKey('ada', ONE), rekognitionRefKey('ada', TWO)] } },
    });
  });

  it('answers the matches the owner has, nearest first, distance = 1 - similarity / 100', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: { people: [ref('ada', TWO, OTHER_IMAGE, 1, 'P2'), ref('ada', ONE, OTHER_IMAGE, 0, 'P1')] },
    });
    expect(await index.nearest('ada', IMAGE, face)).toEqual([
      // ONE's best similarity of its two matches (95.46 and 92.23).
      { imageId: OTHER_IMAGE, face: 0, personId: 'P1', distance: 0.0454 },
      { imageId: OTHER_IMAGE, face: 1, personId: 'P2', distance: 0.071015 },
    ]);
  });

  it("never answers another owner's face: it has no ref under this owner", async () => {
    // The collection is shared: ONE and TWO are Grace's faces, and Ada has no ref item for either.
    dynamo.on(BatchGetCommand).resolves({ Responses: { people: [] } });
    expect(await index.nearest('ada', IMAGE, face)).toEqual([]);
  });

  it('leaves out faces of the same image (an image indexed again)', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: { people: [ref('ada', ONE, IMAGE, 1, 'P1'), ref('ada', TWO, OTHER_IMAGE, 0, 'P2')] },
    });
    expect((await index.nearest('ada', IMAGE, face)).map((c) => c.personId)).toEqual(['P2']);
  });

  it('asks again for unprocessed keys, backing off', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { people: [ref('ada', ONE, OTHER_IMAGE, 0, 'P1')] },
        UnprocessedKeys: { people: { Keys: [rekognitionRefKey('ada', TWO)] } },
      })
      .resolvesOnce({ Responses: { people: [ref('ada', TWO, OTHER_IMAGE, 1, 'P2')] } });
    expect(await index.nearest('ada', IMAGE, face)).toHaveLength(2);
    expect(dynamo).toHaveReceivedNthCommandWith(2, BatchGetCommand, {
      RequestItems: { people: { Keys: [rekognitionRefKey('ada', TWO)] } },
    });
    expect(waits).toEqual([50]);
  });

  it('makes no table read when nothing matches', async () => {
    rekognition.on(SearchFacesCommand).resolves({ FaceMatches: [], SearchedFaceId: SEARCHED });
    expect(await index.nearest('ada', IMAGE, face)).toEqual([]);
    expect(dynamo).not.toHaveReceivedCommand(BatchGetCommand);
  });

  it('refuses a face that was not indexed', async () => {
    await expect(index.nearest('ada', IMAGE, { ...face, rekognitionFaceId: undefined })).rejects.toThrow(
      /no rekognitionFaceId/,
    );
    expect(rekognition).not.toHaveReceivedCommand(SearchFacesCommand);
  });

  it("puts the face's ref item in the grouping's transaction", () => {
    expect(index.entries('ada', IMAGE, face, 'P1')).toEqual([
      {
        Put: {
          TableName: 'people',
          Item: { pk: `ada#REK#${SEARCHED}`, sk: 'FACE', imageId: IMAGE, face: 0, personId: 'P1' },
        },
      },
    ]);
  });

  it("deletes the vector from the collection, then hands the ref item's Delete to the removal's transaction", async () => {
    const deletes = await index.remove('ada', IMAGE, { ...face, rekognitionFaceId: ONE });
    expect(rekognition).toHaveReceivedCommandWith(DeleteFacesCommand, {
      CollectionId: 'image-intel-faces',
      FaceIds: [ONE],
    });
    expect(deletes).toEqual([{ Delete: { TableName: 'people', Key: rekognitionRefKey('ada', ONE) } }]);
  });

  it('keeps the ref item when DeleteFaces fails, so a retry finds the face again', async () => {
    rekognition.on(DeleteFacesCommand).rejects(new Error('ThrottlingException'));
    await expect(index.remove('ada', IMAGE, { ...face, rekognitionFaceId: ONE })).rejects.toThrow('Throttling');
  });
});
