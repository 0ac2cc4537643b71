import type { IConstruct } from 'constructs';
import { DELETED_ALBUMS_QUEUE } from '../../lambdas/albums/functions/delete-album-members/contract';
import { ALBUMS_ROOM } from '../../lambdas/albums/room';
import { ALBUMS_TABLE } from '../../lambdas/albums/table-design';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { RUNTIME_ACTIONS } from '../../lib/constructs/read-only';
import { routes } from './support/api';
import { permissionsOfFunction } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

/**
 * Albums in the template (docs/api.md#albums): their table, made by the generic construct from its declaration in
 * every deployment, the album routes with it in their environment, and each function granted exactly the actions
 * on it that its manifest entry uses (the purges' too: a purged image leaves its albums).
 */
const ALBUM_ROUTES = [
  'create-album',
  'list-albums',
  'get-album',
  'update-album',
  'delete-album',
  'add-album-images',
  'remove-album-images',
  'list-image-albums',
  'set-album-member',
  'remove-album-member',
];

function albumsTable(s: Synthesized): string {
  const made = s.stack.declaredTables.find((one) => one.declaration.name === ALBUMS_TABLE.name);
  if (!made) throw new Error('no albums table in the stack');
  return logicalIdOf(made.table);
}

/** What a function is granted on the albums table, as `action resource`, sorted. */
function grantsOnAlbums(s: Synthesized, fn: IConstruct): string[] {
  const table = albumsTable(s);
  return permissionsOfFunction(s.json, logicalIdOf(fn))
    .filter((p) => !RUNTIME_ACTIONS.includes(p.action) && p.resource.includes(table))
    .map((p) => `${p.action} ${p.resource}`)
    .sort();
}

describe('albums', () => {
  const s = synth();
  const table = albumsTable(s);

  it('makes the table from its design: pk/sk, its five indexes, on demand, PITR, encrypted, retained', () => {
    const resource = s.json.Resources[table];
    expect(resource?.DeletionPolicy).toBe('Retain');
    const index = (name: string, pk: string, sk: string, projection: string) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: pk, KeyType: 'HASH' },
        { AttributeName: sk, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: projection },
    });
    expect(resource?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        index('byOwnerAlbums', 'albumOwner', 'albumSort', 'ALL'),
        index('byAlbumAdded', 'memberAlbum', 'memberAdded', 'KEYS_ONLY'),
        index('byAlbumTaken', 'memberAlbum', 'memberTaken', 'KEYS_ONLY'),
        index('bySharedWith', 'sharedWith', 'sharedSort', 'ALL'),
        index('byImageAlbums', 'memberImage', 'memberAlbum', 'KEYS_ONLY'),
      ],
    });
    expect((s.json.Outputs?.AlbumsTableName as { Value?: unknown } | undefined)?.Value).toEqual({ Ref: table });
  });

  it('makes every album route, each with the table in its environment', () => {
    const made = routes(s);
    const names = (ALBUMS_ROOM.routes ?? []).map(({ route }) => route(DEFAULT_SETTINGS).operationId);
    expect(names).toEqual(expect.arrayContaining(ALBUM_ROUTES));
    for (const { route } of ALBUMS_ROOM.routes ?? []) {
      const { method, path, operationId } = route(DEFAULT_SETTINGS);
      if (!ALBUM_ROUTES.includes(operationId)) continue;
      expect([operationId, made.has(`${method} ${path}`)]).toEqual([operationId, true]);
      const handler = s.stack.api.handlers.byName[operationId] as IConstruct;
      expect([operationId, environmentOf(s, handler).ALBUMS_TABLE]).toEqual([operationId, { Ref: table }]);
    }
  });

  it('grants each album route exactly the table actions it sends', () => {
    const on = `<${table}.Arn>`;
    const items = (...actions: string[]) => actions.map((action) => `dynamodb:${action} ${on}`);
    const query = (...indexes: string[]) => indexes.map((index) => `dynamodb:Query ${on}/index/${index}`);
    const expected: Record<string, string[]> = {
      'create-album': items('PutItem', 'UpdateItem'),
      'list-albums': [
        ...items('BatchGetItem'),
        ...query('byAlbumAdded', 'byAlbumTaken', 'byOwnerAlbums', 'bySharedWith'),
      ],
      // The album's members (people) in its own partition: a Query of the table itself.
      'get-album': [...items('GetItem'), `dynamodb:Query ${on}`, ...query('byAlbumAdded', 'byAlbumTaken')],
      'update-album': items('BatchGetItem', 'GetItem', 'UpdateItem'),
      'delete-album': items('DeleteItem', 'GetItem', 'UpdateItem'),
      'add-album-images': items('BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'),
      'remove-album-images': items('BatchGetItem', 'DeleteItem', 'GetItem', 'UpdateItem'),
      'list-image-albums': [...items('BatchGetItem'), ...query('byImageAlbums')],
      'set-album-member': [...items('GetItem', 'PutItem'), `dynamodb:Query ${on}`],
      'remove-album-member': items('DeleteItem', 'GetItem'),
    };
    for (const name of ALBUM_ROUTES) {
      const handler = s.stack.api.handlers.byName[name] as IConstruct;
      expect([name, grantsOnAlbums(s, handler)]).toEqual([name, (expected[name] ?? []).sort()]);
    }
  });

  it("hands a deleted album's members to its queue, whose consumer alone deletes them a page at a time", () => {
    const made = s.stack.declaredQueues.find((one) => one.declaration.name === DELETED_ALBUMS_QUEUE.name);
    if (!made) throw new Error("no deleted albums' queue in the stack");
    const queue = `<${logicalIdOf(made.queue)}.Arn>`;
    const sends = (fn: IConstruct) =>
      permissionsOfFunction(s.json, logicalIdOf(fn))
        .filter((p) => p.action === 'sqs:SendMessage')
        .map((p) => p.resource);
    const deleteAlbum = s.stack.api.handlers.byName['delete-album'] as IConstruct;
    // The route sends the first page's message; the consumer the next ones.
    expect(sends(deleteAlbum)).toEqual([queue]);
    expect(sends(made.function)).toEqual([queue]);
    expect(environmentOf(s, deleteAlbum).DELETED_ALBUMS_QUEUE_URL).toEqual({ Ref: logicalIdOf(made.queue) });
    const on = `<${table}.Arn>`;
    // The album read (it must be gone), a page of members, their deletes in batches of 25; nothing else of the table.
    expect(grantsOnAlbums(s, made.function)).toEqual(
      [
        `dynamodb:BatchWriteItem ${on}`,
        `dynamodb:GetItem ${on}`,
        `dynamodb:Query ${on}`,
        `dynamodb:Query ${on}/index/byAlbumAdded`,
      ].sort(),
    );
    expect(environmentOf(s, made.function)).toMatchObject({
      ALBUMS_TABLE: { Ref: table },
      DELETED_ALBUMS_QUEUE_URL: { Ref: logicalIdOf(made.queue) },
    });
    // Fed in batches with partial failures; a message that keeps failing waits in the DLQ.
    const mappings = Object.values(s.json.Resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' &&
        JSON.stringify(r.Properties?.EventSourceArn).includes(logicalIdOf(made.queue)),
    );
    expect(mappings.map((r) => r.Properties)).toEqual([
      expect.objectContaining({ BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
    ]);
    expect(s.json.Resources[logicalIdOf(made.queue)]?.Properties).toMatchObject({
      RedrivePolicy: { maxReceiveCount: 5 },
      VisibilityTimeout: 360,
    });
    // No other album route deletes members or batch-writes.
    for (const name of ALBUM_ROUTES) {
      const grants = grantsOnAlbums(s, s.stack.api.handlers.byName[name] as IConstruct);
      expect([name, grants.filter((g) => g.startsWith('dynamodb:BatchWriteItem'))]).toEqual([name, []]);
    }
  });

  it("lets a purge (delete-image, purge-trash) find an image's albums and leave them, and nothing else", () => {
    const on = `<${table}.Arn>`;
    const purging = [
      `dynamodb:DeleteItem ${on}`,
      `dynamodb:Query ${on}/index/byImageAlbums`,
      `dynamodb:UpdateItem ${on}`,
    ];
    for (const [name, fn] of [
      ['delete-image', s.stack.api.handlers.named('delete-image')],
      ['purge-trash', s.stack.declaredQueue('trash').function],
    ] as const) {
      expect([name, grantsOnAlbums(s, fn)]).toEqual([name, purging]);
      expect([name, environmentOf(s, fn).ALBUMS_TABLE]).toEqual([name, { Ref: table }]);
    }
    // The processor never reaches it.
    expect(grantsOnAlbums(s, s.stack.processor.function)).toEqual([]);
    // list-images only for a partner's grant of albums (partners/partner-reads.ts): the albums by key, each in its
    // taken order; nothing that writes.
    expect(grantsOnAlbums(s, s.stack.api.handlers.byName['list-images'] as IConstruct)).toEqual([
      `dynamodb:BatchGetItem ${on}`,
      `dynamodb:Query ${on}/index/byAlbumTaken`,
    ]);
  });
});
