import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IndexFacesCommand, RekognitionClient, SearchFacesCommand } from '@aws-sdk/client-rekognition';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsCall } from '../../lambdas/local/aws-calls';
import { RekognitionFaceIndex } from '../../lambdas/people/rekognition-face-index';
import { RekognitionProvider } from '../../lambdas/vision/rekognition';
import { fixture } from '../fixtures';
import { checkCalls } from '../support/permissions/check';
import { recorded } from '../support/permissions/mocked-calls';
import { type CfnTemplate, ResolvedTemplate, withoutAction } from '../support/permissions/template';
import { logicalIdOf, type Synthesized, synth } from './support/synth';

/**
 * The Rekognition path of face grouping makes calls the local runner cannot (it has no Rekognition): they are made
 * here by the code itself, its SDK clients mocked and their commands recorded as the runner records calls, then
 * checked against the synthesized stack's policies with the permissions check (test/support/permissions).
 */
const PLACE = { region: 'us-east-1', account: '123456789012' };
const TABLE = 'people-table';
const COLLECTION = 'image-intel-faces';
const OWNER = 'ada';
const IMAGE = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';

/** The calls of one image's grouping (processor) and of its deletion (delete-image), made by the code. */
async function derivedCalls(): Promise<AwsCall[]> {
  const rekognitionClient = new RekognitionClient({ region: PLACE.region });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: PLACE.region }));
  const rekognition = mockClient(rekognitionClient);
  const dynamo = mockClient(documents);
  const answer = (name: string) => JSON.parse(fixture(`rekognition/${name}.json`).toString('utf8'));
  rekognition.on(IndexFacesCommand).resolves(answer('index-faces'));
  rekognition.on(SearchFacesCommand).resolves(answer('search-faces'));
  dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
  const mocks = [
    { service: 'Rekognition', calls: () => rekognition.calls() },
    { service: 'DynamoDB', calls: () => dynamo.calls() },
  ];
  try {
    const provider = new RekognitionProvider(rekognitionClient, {
      features: { labels: false, text: false, faces: true, moderation: false, imageProperties: false },
      faceCollection: { collectionId: COLLECTION, maxFaces: 50 },
    });
    const index = new RekognitionFaceIndex(rekognitionClient, documents, {
      tableName: TABLE,
      collectionId: COLLECTION,
    });
    const vision = await provider.analyze({
      bytes: Buffer.from('jpeg'),
      format: 'jpeg',
      downscaledJpeg: async () => Buffer.from('jpeg'),
      imageId: IMAGE,
    });
    const face = vision.faceDescriptions?.faces[0];
    if (!face) throw new Error('IndexFaces described no face');
    await index.nearest(OWNER, IMAGE, face);
    await documents.send(new TransactWriteCommand({ TransactItems: index.entries(OWNER, IMAGE, face, `${IMAGE}00`) }));
    const grouping = recorded('processor', mocks);
    rekognition.resetHistory();
    dynamo.resetHistory();
    // The store deletes the ref in the face's removal transaction (with the face item; here the ref alone).
    await documents.send(new TransactWriteCommand({ TransactItems: await index.remove(OWNER, IMAGE, face) }));
    return [...grouping, ...recorded('delete-image', mocks)];
  } finally {
    rekognition.restore();
    dynamo.restore();
  }
}

function bound(s: Synthesized, edit: (json: CfnTemplate) => CfnTemplate = (json) => json): ResolvedTemplate {
  const people = s.stack.people;
  if (!people?.collection) throw new Error('no people collection');
  const names = { [logicalIdOf(people.table)]: TABLE, [logicalIdOf(people.collection)]: COLLECTION };
  return new ResolvedTemplate(edit(structuredClone(s.json) as CfnTemplate), PLACE, names);
}

async function check(s: Synthesized, calls: AwsCall[], edit?: (json: CfnTemplate) => CfnTemplate) {
  const functions = {
    processor: logicalIdOf(s.stack.processor.function),
    'delete-image': logicalIdOf(s.stack.api.handlers.named('delete-image')),
  };
  return checkCalls(bound(s, edit), functions, calls);
}

describe("face grouping's Rekognition calls", () => {
  let s: Synthesized;
  let calls: AwsCall[];
  beforeAll(async () => {
    s = synth({ inference: 'rekognition', faceGrouping: 'true' });
    calls = await derivedCalls();
  });

  it('are made by the code: IndexFaces, SearchFaces, the refs read and put; DeleteFaces and the ref deleted', () => {
    expect(calls.map((call) => `${call.fn} ${call.service} ${call.operation}`)).toEqual([
      'processor Rekognition IndexFaces',
      'processor Rekognition SearchFaces',
      'processor DynamoDB BatchGetItem',
      'processor DynamoDB TransactWriteItems',
      'delete-image Rekognition DeleteFaces',
      'delete-image DynamoDB TransactWriteItems',
    ]);
  });

  it("are each allowed by the stack's policies", async () => {
    const report = await check(s, calls);
    expect(report.unknown).toEqual([]);
    expect(report.strangers).toEqual([]);
    expect(report.denied).toEqual([]);
    expect(report.checked).toBe(6);
  });

  it.each([
    ['rekognition:IndexFaces', `arn:aws:rekognition:us-east-1:123456789012:collection/${COLLECTION}`],
    ['rekognition:SearchFaces', `arn:aws:rekognition:us-east-1:123456789012:collection/${COLLECTION}`],
    ['rekognition:DeleteFaces', `arn:aws:rekognition:us-east-1:123456789012:collection/${COLLECTION}`],
    ['dynamodb:BatchGetItem', `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`],
    ['dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`],
  ])('are refused once %s is taken away', async (action, resource) => {
    const report = await check(s, calls, withoutAction(action));
    expect(report.denied.map((denial) => [denial.action, denial.resource])).toEqual(
      expect.arrayContaining([[action, resource]]),
    );
  });

  it('are refused on a collection other than the stack’s', async () => {
    const elsewhere = calls.map((call) =>
      call.service === 'Rekognition' ? { ...call, input: { ...call.input, CollectionId: 'someone-elses' } } : call,
    );
    const report = await check(s, elsewhere);
    expect(report.denied.map((denial) => denial.action).sort()).toEqual([
      'rekognition:DeleteFaces',
      'rekognition:IndexFaces',
      'rekognition:SearchFaces',
    ]);
  });
});
