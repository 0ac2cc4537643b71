import { REKOGNITION_ACTIONS } from '../../lib/constructs/vision';
import { actionsOf, identityPolicies, type Permission, permissionsOfFunction } from './support/iam';
import { INFERENCE_MODES, logicalIdOf, type Synthesized, synth } from './support/synth';

const BASE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const SQS_CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const PROCESSOR = [
  ...BASE,
  ...SQS_CONSUME,
  's3:GetObject',
  // Listing uploads/, so a vanished upload reads 404 (the MISSING outcome), not 403, and renditions/<id>/, to delete
  // the renditions of a replaced version.
  's3:ListBucket',
  's3:PutObject',
  's3:DeleteObject',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
  'dynamodb:BatchWriteItem',
  // A place path's posting and its counter, in one transaction (search/place-counts.ts).
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  // The near-duplicates' band values and photos, by key (lambdas/duplicates: the duplicates table only, below).
  'dynamodb:BatchGetItem',
  'events:PutEvents',
  // Its events' second sink, the webhooks' queue (on by default).
  'sqs:SendMessage',
];

/** Each resource once: two rooms' grants of one action on one table may sit in two statements. */
const resourcesFor = (permissions: readonly Permission[], action: string) => [
  ...new Set(
    permissions
      .filter((permission) => permission.action === action)
      .map((permission) => permission.resource)
      .sort(),
  ),
];

interface Functions {
  readonly stack: Synthesized;
  readonly bucket: string;
  readonly table: string;
  readonly searchTable: string;
  /** The albums table (a declared one, lambdas/albums/table-design.ts). */
  readonly albumsTable: string;
  /** The locked folders' PINs (lambdas/locked/table-design.ts). */
  readonly lockedTable: string;
  /** The partners' grants (lambdas/partners/table-design.ts). */
  readonly partnersTable: string;
  /** The near-duplicates (lambdas/duplicates/table-design.ts). */
  readonly duplicatesTable: string;
  readonly stacksTable: string;
  readonly liveTable: string;
  readonly bus: string;
  /** The webhooks' queue, where the publishers send their events too. */
  readonly webhookQueue: string;
  /** The ingest queue, where a re-own sends its image. */
  readonly ingestQueue: string;
  /** The rendition signing secret, as a grant names it. */
  readonly signingSecret: string;
  permissions(name: FunctionName): Permission[];
}

type FunctionName =
  | 'processor'
  | 'createUpload'
  | 'listImages'
  | 'getImage'
  | 'deleteImage'
  | 'similarImages'
  | 'correctLabels'
  | 'reownImage'
  | 'createRendition'
  | 'vision';

function functionsOf(stack: Synthesized): Functions {
  const s = stack.stack;
  const byName = {
    processor: s.processor.function,
    createUpload: s.api.handlers.named('create-upload'),
    listImages: s.api.handlers.named('list-images'),
    getImage: s.api.handlers.named('get-image'),
    deleteImage: s.api.handlers.named('delete-image'),
    similarImages: s.api.handlers.named('similar-images'),
    correctLabels: s.api.handlers.named('correct-labels'),
    reownImage: s.api.handlers.named('reown-image'),
    createRendition: s.api.handlers.named('create-rendition'),
    vision: s.vision.function,
  };
  return {
    stack,
    bucket: `<${logicalIdOf(s.storage.bucket)}.Arn>`,
    table: `<${logicalIdOf(s.table.table)}.Arn>`,
    searchTable: `<${logicalIdOf(s.declaredTable('search').table)}.Arn>`,
    albumsTable: `<${logicalIdOf(s.declaredTables.find((one) => one.declaration.name === 'albums')?.table as never)}.Arn>`,
    lockedTable: `<${logicalIdOf(s.declaredTable('locked').table)}.Arn>`,
    partnersTable: `<${logicalIdOf(s.declaredTables.find((one) => one.declaration.name === 'partners')?.table as never)}.Arn>`,
    duplicatesTable: `<${logicalIdOf(s.declaredTable('duplicates').table)}.Arn>`,
    stacksTable: `<${logicalIdOf(s.declaredTable('stacks').table)}.Arn>`,
    liveTable: `<${logicalIdOf(s.declaredTable('live').table)}.Arn>`,
    bus: `<${logicalIdOf(s.events.bus)}.Arn>`,
    webhookQueue: `<${logicalIdOf(s.declaredQueue('webhooks').queue)}.Arn>`,
    ingestQueue: `<${logicalIdOf(s.ingest.queue)}.Arn>`,
    signingSecret: `<${logicalIdOf(s.renditions.signingSecret)}>`,
    permissions(name) {
      const fn = byName[name];
      if (!fn) throw new Error(`no ${name} function in this stack`);
      return permissionsOfFunction(stack.json, logicalIdOf(fn));
    },
  };
}

describe.each(INFERENCE_MODES)('IAM with inference=%s', (inference) => {
  let fns: Functions;
  beforeAll(() => {
    fns = functionsOf(synth({ inference }));
  });

  const names = [
    'processor',
    'createUpload',
    'listImages',
    'getImage',
    'deleteImage',
    'similarImages',
    'correctLabels',
    'reownImage',
    'createRendition',
  ] as const;

  it.each(names)('grants %s no wildcard action, and "*" as a resource only to X-Ray and Rekognition', (name) => {
    const permissions = fns.permissions(name);
    expect(permissions.filter((permission) => permission.action.includes('*'))).toEqual([]);
    const allowed = new Set<string>(['xray:PutTelemetryRecords', 'xray:PutTraceSegments', ...REKOGNITION_ACTIONS]);
    expect(permissions.filter((p) => p.resource === '*' && !allowed.has(p.action))).toEqual([]);
    const prefixes = /\/(uploads|thumbnails|renditions)\/\*$/;
    expect(
      permissions.filter((p) => p.resource.includes('*') && p.resource !== '*' && !prefixes.test(p.resource)),
    ).toEqual([]);
  });

  it('gives the processor exactly its actions, and Rekognition or invoke only for its own mode', () => {
    const extra = {
      rekognition: [...REKOGNITION_ACTIONS],
      offline: ['lambda:InvokeFunction'],
      none: [],
    }[inference];
    expect(actionsOf(fns.permissions('processor'))).toEqual([...PROCESSOR, ...extra].sort());
    expect(resourcesFor(fns.permissions('processor'), 's3:ListBucket')).toEqual([fns.bucket]);
  });

  it('lets no role in the stack scan a table: every read is by key or a Query', () => {
    const actions = identityPolicies(fns.stack.json).flatMap((policy) =>
      policy.document.Statement.flatMap((statement) =>
        Array.isArray(statement.Action) ? statement.Action : [statement.Action],
      ),
    );
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchWriteItem']));
    expect(actions.filter((action) => /^dynamodb:(Scan|PartiQL|\*)/.test(action))).toEqual([]);
    // BatchGetItem reads by key: only the list's page details (checked with its role below), the places' covers'
    // positions (GET /places), a backfill run's counters, for following a run and for POST /backfills's overlap
    // check (run items only: backfill-api.test.ts), the album routes' images, members and hand-set covers (9, and
    // GET /albums's covers 1: albums.test.ts), GET /shares's views (1: shares.test.ts), and the albums a partner's
    // grant names (POST /partners, GET /images/{id}: 2), and whether a saved photo is in its link's album (POST
    // /shared/{token}/save: 1); the near-duplicates' band values and photos (the processor, GET /duplicates: 2), and
    // the albums of the copies a resolve trashes (POST /duplicates/{id}/resolve: 1).
    expect(actions.filter((action) => action === 'dynamodb:BatchGetItem')).toHaveLength(21);
  });

  it('scopes the processor to reading uploads, writing thumbnails and eager renditions and its table, index, postings and bus', () => {
    const permissions = fns.permissions('processor');
    expect(resourcesFor(permissions, 's3:GetObject')).toEqual([`${fns.bucket}/uploads/*`]);
    expect(resourcesFor(permissions, 's3:PutObject').sort()).toEqual([
      `${fns.bucket}/renditions/*`,
      `${fns.bucket}/thumbnails/*`,
    ]);
    // Renditions, and the thumbnails a run takes back when the image was deleted meanwhile; never an original.
    expect(resourcesFor(permissions, 's3:DeleteObject').sort()).toEqual([
      `${fns.bucket}/renditions/*`,
      `${fns.bucket}/thumbnails/*`,
    ]);
    // The record in the results table; a place counter in the search table; the near-duplicates' table; a Live
    // Photo's MOV told its still (lambdas/live).
    const duplicates = fns.duplicatesTable;
    expect(resourcesFor(permissions, 'dynamodb:UpdateItem')).toEqual(
      [duplicates, fns.table, fns.searchTable, fns.liveTable].sort(),
    );
    // The postings and stacks of the `stack` step (lambdas/stacks), a Live Photo's MOV and postings, besides.
    expect(resourcesFor(permissions, 'dynamodb:PutItem')).toEqual(
      [duplicates, fns.searchTable, fns.stacksTable, fns.liveTable].sort(),
    );
    // A re-owned photo's stack dissolved and its postings deleted (the `stack` step's `leave`); a Live Photo's MOV's
    // upload record, once the MOV is kept in the Live Photos table (lambdas/live: the MOV is no image).
    expect(resourcesFor(permissions, 'dynamodb:DeleteItem')).toEqual(
      [duplicates, fns.searchTable, fns.stacksTable, fns.table].sort(),
    );
    expect(resourcesFor(permissions, 'dynamodb:BatchGetItem')).toEqual([duplicates]);
    // Duplicates within the owner's images only: not the retired bySha256, which spans every owner; a burst's
    // neighbours by their postings' keys (the stacks table, no index).
    expect(resourcesFor(permissions, 'dynamodb:Query')).toEqual(
      [`${fns.table}/index/byOwnerSha256`, fns.stacksTable, fns.liveTable].sort(),
    );
    // Postings are written in batches to the search table only, never to the results table.
    expect(resourcesFor(permissions, 'dynamodb:BatchWriteItem')).toEqual([fns.searchTable]);
    expect(resourcesFor(permissions, 'events:PutEvents')).toEqual([fns.bus]);
    expect(resourcesFor(permissions, 'sqs:ReceiveMessage')).toEqual([
      `<${logicalIdOf(fns.stack.stack.ingest.queue)}.Arn>`,
    ]);
    // Sends to the webhooks' queue only, never to the ingest queue it consumes.
    expect(resourcesFor(permissions, 'sqs:SendMessage')).toEqual([fns.webhookQueue]);
  });

  it('gives each API handler exactly the actions its route uses, on its prefixes and indexes', () => {
    const create = fns.permissions('createUpload');
    // Query: a declared sha256's duplicate, on byOwnerSha256 only.
    expect(actionsOf(create)).toEqual([...BASE, 'dynamodb:PutItem', 'dynamodb:Query', 's3:PutObject'].sort());
    expect(resourcesFor(create, 'dynamodb:Query')).toEqual([`${fns.table}/index/byOwnerSha256`]);
    expect(resourcesFor(create, 's3:PutObject')).toEqual([`${fns.bucket}/uploads/*`]);

    const SIGN = ['secretsmanager:GetSecretValue'];
    const list = fns.permissions('listImages');
    expect(actionsOf(list)).toEqual(
      [...BASE, ...SIGN, 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 's3:GetObject'].sort(),
    );
    // `locked=true`: the unlock token's PIN version, by key, and the keys it is signed with; a partner's page, the
    // grant, by key; nothing else by key.
    expect(resourcesFor(list, 'dynamodb:GetItem')).toEqual([fns.lockedTable, fns.partnersTable].sort());
    expect(resourcesFor(list, 'secretsmanager:GetSecretValue')).toEqual([fns.signingSecret]);
    // A plain page's details: its images' records, by key; a partner's page, the albums its grant names.
    expect(resourcesFor(list, 'dynamodb:BatchGetItem')).toEqual([fns.table, fns.albumsTable].sort());
    // The thumbnails a page links to, and nothing else of the bucket.
    expect(resourcesFor(list, 's3:GetObject')).toEqual([`${fns.bucket}/thumbnails/*`]);
    // The four list indexes (every owner's for admins, one owner's), nothing else: not the table, not the
    // duplicate index, not the retired ones.
    expect(resourcesFor(list, 'dynamodb:Query')).toEqual(
      [
        `${fns.table}/index/byCreatedSharded`,
        `${fns.table}/index/byOwnerSharded`,
        `${fns.table}/index/byOwnerStatusSharded`,
        `${fns.table}/index/byOwnerTakenSharded`,
        `${fns.table}/index/byStatusSharded`,
        // Filtered lists: the search index's postings.
        fns.searchTable,
        // `partners=all`: the grants received; a grant of albums: each album in its taken order.
        `${fns.partnersTable}/index/byGrantee`,
        `${fns.albumsTable}/index/byAlbumTaken`,
      ].sort(),
    );

    const get = fns.permissions('getImage');
    expect(actionsOf(get)).toEqual(
      [...BASE, ...SIGN, 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 's3:GetObject'].sort(),
    );
    // The record, a locked image's unlock token's PIN version, and a partner's grant by key; for a grant of albums,
    // the image's albums and those albums by key.
    expect(resourcesFor(get, 'dynamodb:GetItem')).toEqual([fns.table, fns.lockedTable, fns.partnersTable].sort());
    expect(resourcesFor(get, 'dynamodb:Query')).toEqual([`${fns.albumsTable}/index/byImageAlbums`]);
    expect(resourcesFor(get, 'dynamodb:BatchGetItem')).toEqual([fns.albumsTable]);
    expect(resourcesFor(get, 's3:GetObject')).toEqual([`${fns.bucket}/thumbnails/*`, `${fns.bucket}/uploads/*`]);
    // Rendition URLs per preset: the signing keys, read, and nothing else of Secrets Manager.
    expect(resourcesFor(get, 'secretsmanager:GetSecretValue')).toEqual([fns.signingSecret]);

    const del = fns.permissions('deleteImage');
    expect(actionsOf(del)).toEqual(
      [
        ...BASE,
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        // A move to the trash; a place counter; an album's count.
        'dynamodb:UpdateItem',
        // The albums the image is in (byImageAlbums), which it leaves when deleted for good.
        'dynamodb:Query',
        // The place counter's transaction (its posting's delete may be a put of a newer version's).
        'dynamodb:PutItem',
        'events:PutEvents',
        's3:DeleteObject',
        's3:ListBucket',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(resourcesFor(del, 'dynamodb:UpdateItem')).toEqual(
      [fns.table, fns.searchTable, fns.albumsTable, fns.duplicatesTable].sort(),
    );
    expect(resourcesFor(del, 'dynamodb:Query')).toEqual([`${fns.albumsTable}/index/byImageAlbums`]);
    expect(resourcesFor(del, 'sqs:SendMessage')).toEqual([fns.webhookQueue]);
    expect(resourcesFor(del, 's3:DeleteObject')).toEqual(
      [`${fns.bucket}/renditions/*`, `${fns.bucket}/thumbnails/*`, `${fns.bucket}/uploads/*`].sort(),
    );
    // The image's stored renditions are listed (the bucket, with an s3:prefix condition of renditions/*).
    expect(resourcesFor(del, 's3:ListBucket')).toEqual([fns.bucket]);
    // A stack of one dissolves when its other frame is deleted (lambdas/stacks/cleanup.ts); a Live Photo's MOV
    // goes with its still (lambdas/live/cleanup.ts).
    expect(resourcesFor(del, 'dynamodb:DeleteItem')).toEqual(
      [fns.table, fns.searchTable, fns.albumsTable, fns.duplicatesTable, fns.stacksTable, fns.liveTable].sort(),
    );
    // The image's postings go with it, in batches, from the search table only.
    expect(resourcesFor(del, 'dynamodb:BatchWriteItem')).toEqual([fns.searchTable]);

    const similar = fns.permissions('similarImages');
    expect(actionsOf(similar)).toEqual([...BASE, 'dynamodb:GetItem', 'dynamodb:Query'].sort());
    // The image's own record, then the postings of its hash bands: a Query on the search table, no index.
    expect(resourcesFor(similar, 'dynamodb:GetItem')).toEqual([fns.table]);
    expect(resourcesFor(similar, 'dynamodb:Query')).toEqual([fns.searchTable]);

    const labels = fns.permissions('correctLabels');
    expect(actionsOf(labels)).toEqual(
      [
        ...BASE,
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        // A place path's posting with its counter, written again with the labels' postings.
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
        'events:PutEvents',
        'sqs:SendMessage',
      ].sort(),
    );
    expect(resourcesFor(labels, 'sqs:SendMessage')).toEqual([fns.webhookQueue]);
    // The record is read and updated in the results table; its label postings are rewritten in the search table.
    expect(resourcesFor(labels, 'dynamodb:GetItem')).toEqual([fns.table]);
    expect(resourcesFor(labels, 'dynamodb:UpdateItem')).toEqual([fns.table, fns.searchTable].sort());
    expect(resourcesFor(labels, 'dynamodb:BatchWriteItem')).toEqual([fns.searchTable]);
    expect(resourcesFor(labels, 'events:PutEvents')).toEqual([fns.bus]);

    // A re-own reads the record and sends one message to the processor, which moves the image: nothing else.
    const reown = fns.permissions('reownImage');
    expect(actionsOf(reown)).toEqual([...BASE, 'dynamodb:GetItem', 'sqs:SendMessage'].sort());
    expect(resourcesFor(reown, 'dynamodb:GetItem')).toEqual([fns.table]);
    expect(resourcesFor(reown, 'sqs:SendMessage')).toEqual([fns.ingestQueue]);

    const rendition = fns.permissions('createRendition');
    expect(actionsOf(rendition)).toEqual([...BASE, ...SIGN, 'dynamodb:GetItem', 'dynamodb:UpdateItem'].sort());
    expect(resourcesFor(rendition, 'dynamodb:GetItem')).toEqual([fns.table]);
    // The caller's per-minute counter and the image's list of custom specs, both items of the results table.
    expect(resourcesFor(rendition, 'dynamodb:UpdateItem')).toEqual([fns.table]);
    expect(resourcesFor(rendition, 'secretsmanager:GetSecretValue')).toEqual([fns.signingSecret]);
  });

  if (inference === 'offline') {
    it('lets the processor invoke only the vision function, and that function read only thumbnails', () => {
      const infer = `<${logicalIdOf(fns.stack.stack.vision.function as never)}.Arn>`;
      expect(resourcesFor(fns.permissions('processor'), 'lambda:InvokeFunction')).toEqual([infer]);
      const inferPermissions = fns.permissions('vision');
      expect(actionsOf(inferPermissions)).toEqual([...BASE, 's3:GetObject', 's3:ListBucket'].sort());
      expect(resourcesFor(inferPermissions, 's3:GetObject')).toEqual([`${fns.bucket}/thumbnails/*`]);
      expect(resourcesFor(inferPermissions, 's3:ListBucket')).toEqual([fns.bucket]);
    });
  } else {
    it('creates no vision function', () => {
      expect(fns.stack.stack.vision.function).toBeUndefined();
      fns.stack.template.resourcePropertiesCountIs('AWS::Lambda::Function', { PackageType: 'Image' }, 0);
    });
  }
});
