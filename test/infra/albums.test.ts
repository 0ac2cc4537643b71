import type { IConstruct } from 'constructs';
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

  it('makes the table from its design: pk/sk, its four indexes, on demand, PITR, encrypted, retained', () => {
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
      'list-albums': query('byOwnerAlbums'),
      'get-album': [...items('GetItem'), ...query('byAlbumAdded', 'byAlbumTaken')],
      'update-album': items('BatchGetItem', 'GetItem', 'UpdateItem'),
      'delete-album': [...items('DeleteItem', 'GetItem', 'UpdateItem'), ...query('byAlbumAdded')],
      'add-album-images': items('BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'),
      'remove-album-images': items('BatchGetItem', 'DeleteItem', 'GetItem', 'UpdateItem'),
      'list-image-albums': [...items('BatchGetItem'), ...query('byImageAlbums')],
    };
    for (const name of ALBUM_ROUTES) {
      const handler = s.stack.api.handlers.byName[name] as IConstruct;
      expect([name, grantsOnAlbums(s, handler)]).toEqual([name, (expected[name] ?? []).sort()]);
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
      ['delete-image', s.stack.api.handlers.deleteImage],
      ['purge-trash', s.stack.trash.function],
    ] as const) {
      expect([name, grantsOnAlbums(s, fn)]).toEqual([name, purging]);
      expect([name, environmentOf(s, fn).ALBUMS_TABLE]).toEqual([name, { Ref: table }]);
    }
    // The processor and the images' other routes never reach it.
    expect(grantsOnAlbums(s, s.stack.processor.function)).toEqual([]);
    expect(grantsOnAlbums(s, s.stack.api.handlers.byName['list-images'] as IConstruct)).toEqual([]);
  });
});
