/*
 * Where the stack puts the declared resources that were deployed before the declarations, so that each keeps its
 * logical ids: CloudFormation names a resource by its construct path, and a new path makes it create a new table or
 * queue and delete the old one with its data (test/infra/logical-ids.test.ts holds them). A placement is a CDK
 * concern, so it lives here and not in the room's declaration. A resource declared since has none: it sits at
 * `<Name>Table` or `<Name>Queue`, its consumer at `Function`, a schedule's rule at `<Name>Schedule`.
 */

/** A declared table's or queue's construct, by the id it had under the stack. */
export interface Placement {
  /** The generic construct's id under the stack. */
  readonly id: string;
  /** A queue's consumer function's id inside it. @default 'Function' */
  readonly functionId?: string;
}

/** By declaration name (lambdas/manifest/resources.ts). */
export const TABLE_PLACEMENTS: Readonly<Record<string, Placement>> = {
  search: { id: 'Search' },
  policies: { id: 'Policies' },
  webhooks: { id: 'Webhooks' },
};

export const QUEUE_PLACEMENTS: Readonly<Record<string, Placement>> = {
  trash: { id: 'Trash', functionId: 'PurgeFunction' },
  // The webhooks table's id: one construct held both, so the stack puts the queue's inside the table's as `Default`,
  // a path component logical ids leave out, and each resource keeps the path it had.
  webhooks: { id: 'Webhooks', functionId: 'DeliverFunction' },
};

/** A schedule's rule sits in the construct of the queue it feeds, under this id, by the schedule's name. */
export const SCHEDULE_IDS: Readonly<Record<string, string>> = {
  'trash-sweep': 'Sweep',
};
