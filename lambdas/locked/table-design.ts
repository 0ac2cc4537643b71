import type { TableDeclaration } from '../settings/resources';

/**
 * The locked folders' table: one item per owner who set a PIN, keyed by the owner (no partition every owner shares).
 *
 * | item              | owner     | besides                                                                    |
 * | ----------------- | --------- | -------------------------------------------------------------------------- |
 * | an owner's PIN    | `<owner>` | `pin` (a salted scrypt hash), `pinVersion`, `failures`, `blockedUntil`     |
 *
 * Access patterns, each one item by key:
 *
 * | pattern                                         | how                                                       |
 * | ----------------------------------------------- | --------------------------------------------------------- |
 * | set the first PIN                               | PutItem, if the owner has none                            |
 * | change it (the current one checked first)       | UpdateItem, if `pinVersion` is the one read               |
 * | claim an attempt at the PIN (unlock, change)    | UpdateItem, if not blocked and `failures` is as read      |
 * | a right PIN: its failures forgotten             | UpdateItem                                                |
 * | check an unlock token (its PIN version)         | GetItem                                                   |
 *
 * The images themselves stay in the results table: a locked one is filed under `LOCKED` there (store/list-shards.ts).
 */
export const LOCKED_TABLE_DESIGN = { partitionKey: 'owner' } as const;

/** Where the PINs are kept: every deployment has a locked folder. */
export interface LockedWiring {
  readonly tableName: string;
}

/** The locked table's name from a function's wiring, which every deployment's has (the declaration's part). */
export function lockedTableOf(wiring: { readonly locked?: LockedWiring }): string {
  if (!wiring.locked) throw new Error('the wiring has no locked table: lambdas/locked/table-design.ts declares it');
  return wiring.locked.tableName;
}

/** Each owner's locked-folder PIN and its failed attempts (docs/api.md "The locked folder"). */
export const LOCKED_TABLE: TableDeclaration = {
  name: 'locked',
  design: LOCKED_TABLE_DESIGN,
  wiring: (tableName) => ({ locked: { tableName } satisfies LockedWiring }),
  output: { name: 'LockedTableName', description: "Each owner's locked-folder PIN" },
};
