import type { TableDeclaration } from '../settings/resources';

/**
 * The Live Photos table (lambdas/live): each MOV uploaded as a Live Photo's video, and the postings by which a still
 * and its MOV find each other as they arrive, in either order, without a scan. Items:
 *
 * | item          | pk                            | sk              | besides                                                      |
 * | ------------- | ----------------------------- | --------------- | ------------------------------------------------------------ |
 * | a MOV         | `V#<imageId of its upload>`   | `VIDEO`         | owner, base, bucket, key, bytes, durationSeconds, contentIdentifier, createdAt, still (once paired) |
 * | a posting     | `N#<owner>#<base name>`       | `S#<imageId>` (a still) or `V#<imageId>` (a MOV) | imageId, contentIdentifier; a MOV's: key, bytes, durationSeconds |
 *
 * Access patterns:
 *
 * | pattern                                          | how                                                        |
 * | ------------------------------------------------ | ---------------------------------------------------------- |
 * | a MOV by its upload (a duplicate delivery, a purge) | GetItem `V#<id>`/`VIDEO`                                 |
 * | the stills and MOVs of one owner's base name     | Query `N#<owner>#<base>`, Limit 20                         |
 *
 * A posting partition is one owner's file name (`IMG_1234`): a handful of items, written at the rate one owner
 * uploads one name, never a key every owner shares. A camera's counter wraps at 9999, so a name may come back: the
 * content identifier, when both files have it, tells which still a MOV belongs to.
 */
export const LIVE_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {},
} as const;

/** Where the Live Photos' MOVs and postings are kept. */
export interface LiveWiring {
  readonly tableName: string;
}

/** The Live Photos table's name from a function's wiring (the declaration's part). */
export function liveTableOf(wiring: { readonly live?: LiveWiring }): string {
  if (!wiring.live) throw new Error('the wiring has no Live Photos table: lambdas/live/table-design.ts declares it');
  return wiring.live.tableName;
}

/** Live Photos' MOVs and the postings that pair them with their stills (docs/formats.md). */
export const LIVE_TABLE: TableDeclaration = {
  name: 'live',
  design: LIVE_TABLE_DESIGN,
  wiring: (tableName) => ({ live: { tableName } satisfies LiveWiring }),
  output: { name: 'LivePhotosTableName', description: "Live Photos' MOVs and the postings that pair them" },
};
