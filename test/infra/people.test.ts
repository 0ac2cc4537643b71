import { Match } from 'aws-cdk-lib/assertions';
import { declaredFor } from '../../lambdas/manifest/resources';
import { PEOPLE_ROOM } from '../../lambdas/people/room';
import { PEOPLE_LIST_ATTRIBUTES } from '../../lambdas/people/table-design';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { type Permission, permissionsOfFunction } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

/** Face grouping's storage: made only with `faceGrouping`, the collection only with Rekognition, least privilege. */
const OFF = { inference: 'rekognition' };
const REKOGNITION = { inference: 'rekognition', faceGrouping: 'true' };
const OFFLINE = { inference: 'offline', faceGrouping: 'true' };

function peopleTableId(s: Synthesized): string {
  if (!s.stack.people) throw new Error('no people');
  return logicalIdOf(s.stack.people.table);
}
function collectionId(s: Synthesized): string {
  const collection = s.stack.people?.collection;
  if (!collection) throw new Error('no collection');
  return logicalIdOf(collection);
}
const permissions = (s: Synthesized, fn: Parameters<typeof logicalIdOf>[0]): Permission[] =>
  permissionsOfFunction(s.json, logicalIdOf(fn));
const onPeople = (s: Synthesized, granted: Permission[]) =>
  granted.filter((p) => p.resource.includes(peopleTableId(s))).map((p) => `${p.action} ${p.resource}`);
const faceActions = (granted: Permission[]) =>
  granted
    .filter((p) => /^rekognition:(Index|Search|Delete)Faces$/.test(p.action))
    .sort((a, b) => a.action.localeCompare(b.action));

describe('face grouping off (the default)', () => {
  it('makes no people table, no face collection, and tells the functions grouping is off', () => {
    const s = synth(OFF);
    expect(s.stack.people).toBeUndefined();
    s.template.resourceCountIs('AWS::Rekognition::Collection', 0);
    // Every declared table but the people table.
    const { tables } = declaredFor(parseDeploymentSettings(OFF));
    expect(tables.map(({ name }) => name)).not.toContain('people');
    expect(Object.keys(s.template.findResources('AWS::DynamoDB::Table'))).toHaveLength(tables.length);
    for (const fn of [s.stack.processor.function, s.stack.api.handlers.named('delete-image')]) {
      const variables = environmentOf(s, fn);
      expect(variables.FACE_GROUPING).toBe('false');
      expect(variables).not.toHaveProperty('PEOPLE_TABLE');
      expect(variables).not.toHaveProperty('FACE_COLLECTION_ID');
    }
    expect(faceActions(permissions(s, s.stack.processor.function))).toEqual([]);
  });
});

describe.each([
  ['rekognition', REKOGNITION],
  ['offline', OFFLINE],
])('face grouping on with inference=%s', (_inference, context) => {
  it('makes the people table from its design: pk/sk, byOwnerPeople, on-demand, PITR, encrypted, retained', () => {
    const s = synth(context);
    const table = s.json.Resources[peopleTableId(s)];
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOwnerPeople',
          KeySchema: [
            { AttributeName: 'peopleShard', KeyType: 'HASH' },
            { AttributeName: 'peopleRank', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...PEOPLE_LIST_ATTRIBUTES] },
        },
      ],
    });
  });

  it('names the table to the processor and delete-image', () => {
    const s = synth(context);
    for (const fn of [s.stack.processor.function, s.stack.api.handlers.named('delete-image')]) {
      expect(environmentOf(s, fn)).toMatchObject({ FACE_GROUPING: 'true', PEOPLE_TABLE: { Ref: peopleTableId(s) } });
    }
  });

  it('grants the processor and delete-image the item actions they send on the people table only: no Scan, no index', () => {
    const s = synth(context);
    const on = (actions: string[]) => actions.map((action) => `dynamodb:${action} <${peopleTableId(s)}.Arn>`).sort();
    const removal = ['DeleteItem', 'GetItem', 'Query', 'UpdateItem'];
    // Reading the faces a Rekognition match stands for is the Rekognition path's alone.
    const refs = context.inference === 'rekognition' ? ['BatchGetItem'] : [];
    expect(onPeople(s, permissions(s, s.stack.processor.function)).sort()).toEqual(
      on([...removal, 'PutItem', ...refs]),
    );
    expect(onPeople(s, permissions(s, s.stack.api.handlers.named('delete-image'))).sort()).toEqual(on(removal));
  });

  it('grants each people route only what it sends, and GET /images and GET /images/{id} a person by key', () => {
    const s = synth(context);
    const table = `<${peopleTableId(s)}.Arn>`;
    const expected: Record<string, string[]> = {
      // A cover whose photo is hidden (trash, locked folder): the person's merged ids and faces (shown-covers.ts).
      'list-people': [
        `dynamodb:GetItem ${table}`,
        `dynamodb:Query ${table}`,
        `dynamodb:Query ${table}/index/byOwnerPeople`,
      ],
      'get-person': [`dynamodb:GetItem ${table}`, `dynamodb:Query ${table}`],
      // The name's words filed for the search box: a put each.
      'rename-person': [`dynamodb:GetItem ${table}`, `dynamodb:PutItem ${table}`, `dynamodb:UpdateItem ${table}`],
      // The merge, then the merged people's faces listed to re-point their images.
      'merge-people': [`dynamodb:GetItem ${table}`, `dynamodb:Query ${table}`, `dynamodb:UpdateItem ${table}`],
      // "Not this person": what removing a face takes, and the correction put.
      'remove-person-faces': ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'].map(
        (action) => `dynamodb:${action} ${table}`,
      ),
      'delete-person': [`dynamodb:GetItem ${table}`, `dynamodb:UpdateItem ${table}`],
      // A face given to a person, or drawn: the face, its people, a transaction; an emptied person's ids deleted.
      // A resolve of near-duplicates carries what the owner said of a copy's faces to the kept photo the same way.
      ...Object.fromEntries(
        ['assign-face', 'draw-face', 'resolve-duplicates'].map((fn) => [
          fn,
          ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'].map((action) => `dynamodb:${action} ${table}`),
        ]),
      ),
      // Reads only: the listing, people and faces by key, the buckets (or Rekognition's refs).
      'list-merge-suggestions': [
        ...(context.inference === 'rekognition' ? [`dynamodb:BatchGetItem ${table}`] : []),
        `dynamodb:GetItem ${table}`,
        `dynamodb:Query ${table}`,
        `dynamodb:Query ${table}/index/byOwnerPeople`,
      ],
      'dismiss-merge-suggestion': [`dynamodb:GetItem ${table}`, `dynamodb:PutItem ${table}`],
      // A person by key, and the people a word of the search box names (a Query of the table's own keys).
      'list-images': [`dynamodb:GetItem ${table}`, `dynamodb:Query ${table}`],
      // A smart album's search is GET /images's, with what it reads of the people.
      'get-album': [`dynamodb:GetItem ${table}`, `dynamodb:Query ${table}`],
      // A smart album's link shows the same search's photos.
      'get-shared': [`dynamodb:GetItem ${table}`, `dynamodb:Query ${table}`],
      'get-image': [`dynamodb:GetItem ${table}`],
    };
    for (const [name, fn] of Object.entries(s.stack.api.handlers.byName)) {
      if (name === 'delete-image') continue;
      expect([name, onPeople(s, permissions(s, fn)).sort()]).toEqual([name, expected[name] ?? []]);
    }
  });

  it("grants each people route that answers a person GetObject on the thumbnails its covers' presigned links read", () => {
    const s = synth(context);
    // These two answer no person (204), so they sign no cover.
    const coverless = new Set(['delete-person', 'dismiss-merge-suggestion']);
    for (const { route } of PEOPLE_ROOM.routes ?? []) {
      const name = route({ allowedTypes: [], maxUploadBytes: 1, maxRawUploadBytes: 1 }).operationId;
      const fn = s.stack.api.handlers.byName[name] as Parameters<typeof logicalIdOf>[0];
      const covers = [
        { action: 's3:GetObject', resource: `<${logicalIdOf(s.stack.storage.bucket)}.Arn>/thumbnails/*` },
      ];
      expect([name, permissions(s, fn).filter((p) => p.action.startsWith('s3:'))]).toEqual([
        name,
        coverless.has(name) ? [] : covers,
      ]);
    }
  });
});

describe('the face collection', () => {
  it('exists only with inference=rekognition', () => {
    synth(REKOGNITION).template.resourceCountIs('AWS::Rekognition::Collection', 1);
    synth(OFFLINE).template.resourceCountIs('AWS::Rekognition::Collection', 0);
    expect(environmentOf(synth(OFFLINE), synth(OFFLINE).stack.processor.function)).not.toHaveProperty(
      'FACE_COLLECTION_ID',
    );
  });

  it('is retained with the stack, unless destroyOnRemove', () => {
    const kept = synth(REKOGNITION);
    expect(kept.json.Resources[collectionId(kept)]?.DeletionPolicy).toBe('Retain');
    const destroyed = synth({ ...REKOGNITION, destroyOnRemove: 'true' });
    expect(destroyed.json.Resources[collectionId(destroyed)]?.DeletionPolicy).toBe('Delete');
  });

  it('is named to the processor and delete-image', () => {
    const s = synth(REKOGNITION);
    s.template.hasResourceProperties('AWS::Rekognition::Collection', {
      CollectionId: Match.stringLikeRegexp('^[a-zA-Z0-9_.-]+$'),
    });
    for (const fn of [s.stack.processor.function, s.stack.api.handlers.named('delete-image')]) {
      expect(environmentOf(s, fn).FACE_COLLECTION_ID).toEqual({ Ref: collectionId(s) });
    }
  });

  it('is named to every people route, which opens it as its face index; those that call it are granted just that', () => {
    const s = synth(REKOGNITION);
    const arn = `<${collectionId(s)}.Arn>`;
    // Not this person deletes the face's vector; suggestions search the collection; the rest only read or put refs.
    const calls: Record<string, string[]> = {
      'remove-person-faces': ['rekognition:DeleteFaces'],
      'list-merge-suggestions': ['rekognition:SearchFaces'],
    };
    for (const { route } of PEOPLE_ROOM.routes ?? []) {
      const name = route({ allowedTypes: [], maxUploadBytes: 1, maxRawUploadBytes: 1 }).operationId;
      const fn = s.stack.api.handlers.byName[name] as Parameters<typeof environmentOf>[1];
      expect([name, environmentOf(s, fn).FACE_COLLECTION_ID]).toEqual([name, { Ref: collectionId(s) }]);
      const granted = faceActions(permissions(s, fn));
      expect([name, granted]).toEqual([name, (calls[name] ?? []).map((action) => ({ action, resource: arn }))]);
    }
    const offline = synth(OFFLINE);
    for (const { route } of PEOPLE_ROOM.routes ?? []) {
      const name = route({ allowedTypes: [], maxUploadBytes: 1, maxRawUploadBytes: 1 }).operationId;
      const fn = offline.stack.api.handlers.byName[name] as Parameters<typeof environmentOf>[1];
      expect([name, environmentOf(offline, fn)]).not.toEqual([
        name,
        expect.objectContaining({ FACE_COLLECTION_ID: expect.anything() }),
      ]);
    }
  });

  it("grants IndexFaces, SearchFaces and DeleteFaces on the collection's ARN, never on *", () => {
    const s = synth(REKOGNITION);
    const arn = `<${collectionId(s)}.Arn>`;
    expect(faceActions(permissions(s, s.stack.processor.function))).toEqual([
      { action: 'rekognition:DeleteFaces', resource: arn },
      { action: 'rekognition:IndexFaces', resource: arn },
      { action: 'rekognition:SearchFaces', resource: arn },
    ]);
    expect(faceActions(permissions(s, s.stack.api.handlers.named('delete-image')))).toEqual([
      { action: 'rekognition:DeleteFaces', resource: arn },
    ]);
    // No collection action is allowed on `*` (where the Detect APIs are).
    const anywhere = permissions(s, s.stack.processor.function).filter((p) => p.resource === '*');
    expect(faceActions(anywhere)).toEqual([]);
  });

  it('leaves the Detect APIs, which have no resource, on their own "*" policy, without DetectFaces', () => {
    const s = synth(REKOGNITION);
    const anywhere = permissions(s, s.stack.processor.function).filter((p) => p.resource === '*');
    expect(
      anywhere
        .map((p) => p.action)
        .filter((action) => action.startsWith('rekognition:'))
        .sort(),
    ).toEqual(['rekognition:DetectLabels', 'rekognition:DetectModerationLabels', 'rekognition:DetectText']);
    const off = synth(OFF);
    expect(permissions(off, off.stack.processor.function)).toEqual(
      expect.arrayContaining([{ action: 'rekognition:DetectFaces', resource: '*' }]),
    );
  });

  it('outputs the table and the collection', () => {
    const s = synth(REKOGNITION);
    expect(Object.keys(s.json.Outputs ?? {})).toEqual(expect.arrayContaining(['PeopleTableName', 'FaceCollectionId']));
    expect(Object.keys(synth(OFF).json.Outputs ?? {})).not.toContain('PeopleTableName');
  });
});
