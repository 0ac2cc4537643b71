import type { TableDeclaration } from '../settings/resources';

/** At most this many photos in one cluster: a photo near a full one is left out of it (the step notes it). */
export const MAX_CLUSTER_MEMBERS = 50;

/**
 * At most this many hashes posted under one band value of one owner: a value shared by more is a flood (an owner's
 * thousand photos of a white wall), which says nothing about which of them are copies; past it a photo is not posted
 * there (its six other windows' and three other bands' values still find it).
 */
export const MAX_BAND_ENTRIES = 200;

/** How many list partitions an owner's open clusters spread over (`<owner>#OPEN#<n>`), as the search terms do. */
export const OPEN_SHARDS = 4;

/**
 * The near-duplicates table (docs/api.md#duplicates), shared by the generic construct (lib/constructs/declared.ts),
 * the store and the local runner. Items:
 *
 * | item                                   | pk                       | sk           | besides                                  |
 * | -------------------------------------- | ------------------------ | ------------ | ---------------------------------------- |
 * | a band value of an owner's hashes      | `<owner>#B#<b>=<4 hex>`  | `B`          | entries: a string set of `<imageId>/<window>/<hash>` |
 * | a photo's hashes and facts             | `I#<imageId>`            | `I`          | owner, hashes, facts, clusterId? (an open cluster's), notWith? (dismissed) |
 * | a cluster                              | `C#<clusterId>`          | `C`          | owner, members (a string set), state, createdAt, updatedAt |
 * | an owner's open cluster, to list       | `<owner>#OPEN#<n>`       | `<clusterId>` | -                                        |
 *
 * Access patterns:
 *
 * | pattern                                               | how                                                   |
 * | ----------------------------------------------------- | ----------------------------------------------------- |
 * | post a photo's hashes (each arriving photo)           | UpdateItem ADD to its 28 band values, each within MAX_BAND_ENTRIES |
 * | the photos near an arriving one                       | BatchGetItem of the band values its hashes probe (about 1,300 keys, 100 a call), then of the candidates' photo items |
 * | form or join a cluster                                | one transaction: the cluster, its list item, each member's `clusterId` conditional on none |
 * | an owner's open clusters, newest first (`GET /duplicates`) | Query each of the OPEN_SHARDS lists backwards from the cursor, merged by cluster id |
 * | a cluster and its members                             | GetItem, then BatchGetItem of the members' photo items |
 *
 * Cluster ids are ULIDs: newest first is descending id. Every key is one owner's (or one photo's, or one cluster's):
 * no partition every write shares; an owner's open clusters are written over OPEN_SHARDS partitions.
 */
export const DUPLICATES_TABLE_DESIGN = { partitionKey: 'pk', sortKey: 'sk' } as const;

export function bandKey(owner: string, band: string) {
  return { pk: `${owner}#B#${band}`, sk: 'B' };
}

export function photoKey(imageId: string) {
  return { pk: `I#${imageId}`, sk: 'I' };
}

export function clusterKey(clusterId: string) {
  return { pk: `C#${clusterId}`, sk: 'C' };
}

/** Which of an owner's open lists a cluster is in: a hash of its id's random half. */
export function openShardOf(clusterId: string): number {
  let hash = 0;
  for (let i = 10; i < clusterId.length; i++) hash = (hash * 31 + clusterId.charCodeAt(i)) >>> 0;
  return hash % OPEN_SHARDS;
}

export function openListKey(owner: string, clusterId: string) {
  return { pk: openListPartition(owner, openShardOf(clusterId)), sk: clusterId };
}

export function openListPartition(owner: string, shard: number): string {
  return `${owner}#OPEN#${shard}`;
}

/** Where the clusters are kept: every deployment finds near-duplicates. */
export interface DuplicatesWiring {
  readonly tableName: string;
}

/** The duplicates table's name from a function's wiring (the declaration's part). */
export function duplicatesTableOf(wiring: { readonly duplicates?: DuplicatesWiring }): string {
  if (!wiring.duplicates) {
    throw new Error('the wiring has no duplicates table: lambdas/duplicates/table-design.ts declares it');
  }
  return wiring.duplicates.tableName;
}

/** Near-duplicate clusters of each owner's photos (docs/api.md#duplicates). */
export const DUPLICATES_TABLE: TableDeclaration = {
  name: 'duplicates',
  design: DUPLICATES_TABLE_DESIGN,
  wiring: (tableName) => ({ duplicates: { tableName } satisfies DuplicatesWiring }),
  output: { name: 'DuplicatesTableName', description: "Near-duplicate clusters of each owner's photos" },
};
