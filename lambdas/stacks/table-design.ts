import type { TableDeclaration } from '../settings/resources';

/** At most this many frames in a stack (`POST /stacks` refuses more; an auto-stack stops growing there). */
export const MAX_STACK_FRAMES = 50;

/** A stack's id: `st_` and 20 hex characters. */
export const STACK_ID_PATTERN = /^st_[0-9a-f]{20}$/;

/**
 * The stacks table (lambdas/stacks): the stacks, and the postings by which a processor finds the frames an arriving
 * photo belongs with, without a scan. Items:
 *
 * | item                      | pk                                              | sk                     | besides                                       |
 * | ------------------------- | ----------------------------------------------- | ---------------------- | --------------------------------------------- |
 * | a stack                   | `S#<stackId>`                                   | `STACK`                | owner, primary, frames (primary first), kind, createdAt, updatedAt |
 * | a burst posting           | `B#<owner>#<camera>#<takenAt, to the second>`   | `<ms>#<imageId>`       | imageId, phash, ms                            |
 * | a pair posting            | `N#<owner>#<base name>#<takenAt, to the second>` | `<imageId>`           | imageId, contentType                          |
 *
 * Which frames are in a stack is said twice, on purpose: by the stack's `frames` and by each frame's record in the
 * results table (`stack` on the primary, `stackedIn` on the others, which files its list keys under `STACKED`). Every
 * change writes both in one transaction, conditional on each as it was read, so two processors of one burst never
 * make two stacks of the same frames: the second's transaction fails on the first's frames and it joins that stack.
 *
 * Access patterns:
 *
 * | pattern                                             | how                                                           |
 * | --------------------------------------------------- | ------------------------------------------------------------- |
 * | a stack and its frames (`GET /stacks/{id}`)         | GetItem `S#<id>`/`STACK`, then the frames' records by key      |
 * | the burst neighbours of an arriving photo           | Query the postings of its second and the seconds either side, Limit 60 each |
 * | the other formats of a photo (RAW+JPEG)             | Query the pair postings of its base name and second, Limit 10 |
 *
 * Each posting partition is one owner's camera (or base name) in one second: bounded by how fast a camera shoots,
 * never a key every owner shares.
 */
export const STACKS_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {},
} as const;

export function stackKey(stackId: string) {
  return { pk: `S#${stackId}`, sk: 'STACK' };
}

/** Where the stacks are kept: every deployment has stacks. */
export interface StacksWiring {
  readonly tableName: string;
}

/** The stacks table's name from a function's wiring (the declaration's part). */
export function stacksTableOf(wiring: { readonly stacks?: StacksWiring }): string {
  if (!wiring.stacks) throw new Error('the wiring has no stacks table: lambdas/stacks/table-design.ts declares it');
  return wiring.stacks.tableName;
}

/** Stacks of photos shown once (docs/api.md#stacks). */
export const STACKS_TABLE: TableDeclaration = {
  name: 'stacks',
  design: STACKS_TABLE_DESIGN,
  wiring: (tableName) => ({ stacks: { tableName } satisfies StacksWiring }),
  output: { name: 'StacksTableName', description: 'Stacks of photos shown once, and the postings that find bursts' },
};
