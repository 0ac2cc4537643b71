/*
 * Where the stack puts the declared resources that were deployed before the declarations, so that each keeps its
 * logical ids: CloudFormation names a resource by its construct path, and a new path makes it create a new table or
 * queue and delete the old one with its data (test/infra/logical-ids.test.ts holds them). A placement is a CDK
 * concern, so it lives here and not in the room's declaration. A resource declared since has none: it sits at
 * `<Name>Table` or `<Name>Queue`, a schedule's rule at `<Name>Schedule`. Consumers hold no data: each sits in its
 * room's stack (lib/constructs/room-stacks.ts).
 */

/** A declared table's or queue's construct, by the id it had under the stack. */
export interface Placement {
  /** The generic construct's id under the stack. */
  readonly id: string;
}

/** By declaration name (lambdas/manifest/resources.ts). */
export const TABLE_PLACEMENTS: Readonly<Record<string, Placement>> = {
  search: { id: 'Search' },
  policies: { id: 'Policies' },
  webhooks: { id: 'Webhooks' },
};

export const QUEUE_PLACEMENTS: Readonly<Record<string, Placement>> = {
  trash: { id: 'Trash' },
  // The webhooks table's id: one construct held both, so the stack puts the queue's inside the table's as `Default`,
  // a path component logical ids leave out, and each resource keeps the path it had.
  webhooks: { id: 'Webhooks' },
};

/** A schedule's rule sits in the construct of the queue it feeds, under this id, by the schedule's name. */
export const SCHEDULE_IDS: Readonly<Record<string, string>> = {
  'trash-sweep': 'Sweep',
};

/**
 * The routes whose API Gateway methods were deployed in the root stack before the rooms had stacks: each stays
 * there under its logical id. API Gateway takes one method per path and verb, and CloudFormation makes the new before
 * it deletes the old, so a method moved to a room's stack would fail the update. Every route since has its method,
 * and any path of its own, in its room's stack (lib/constructs/upload-api.ts).
 */
export const ROOT_ROUTES: ReadonlySet<string> = new Set([
  'DELETE /albums/{id}',
  'DELETE /albums/{id}/images',
  'DELETE /images/{id}',
  'DELETE /images/{id}/place',
  'DELETE /images/{id}/taken',
  'DELETE /people/{id}',
  'DELETE /people/{id}/images/{imageId}',
  'DELETE /shares/{id}',
  'DELETE /webhooks/{id}',
  'GET /albums',
  'GET /albums/{id}',
  'GET /backfills',
  'GET /backfills/{id}',
  'GET /images',
  'GET /images/{id}',
  'GET /images/{id}/albums',
  'GET /images/{id}/similar',
  'GET /people',
  'GET /people/suggestions',
  'GET /people/{id}',
  'GET /places',
  'GET /places/suggestions',
  'GET /policy',
  'GET /shared/{token}',
  'GET /shares',
  'GET /webhooks',
  'GET /webhooks/{id}',
  'GET /webhooks/{id}/deliveries',
  'PATCH /albums/{id}',
  'PATCH /images/{id}/labels',
  'PATCH /images/{id}/tags',
  'PATCH /people/{id}',
  'PATCH /webhooks/{id}',
  'POST /albums',
  'POST /albums/{id}/images',
  'POST /albums/{id}/shares',
  'POST /backfills',
  'POST /images/{id}/faces',
  'POST /images/{id}/renditions',
  'POST /images/{id}/restore',
  'POST /images/{id}/shares',
  'POST /people/suggestions/dismiss',
  'POST /people/{id}/merge',
  'POST /trash/empty',
  'POST /uploads',
  'POST /webhooks',
  'POST /webhooks/{id}/replay',
  'POST /webhooks/{id}/rotate-secret',
  'PUT /images/{id}/faces/{face}',
  'PUT /images/{id}/favourite',
  'PUT /images/{id}/owner',
  'PUT /images/{id}/place',
  'PUT /images/{id}/rotation',
  'PUT /images/{id}/taken',
  'PUT /policy',
]);

/**
 * A path deployed under another name of its variable: API Gateway takes one variable part per parent path, so
 * `/shares/{id}` made beside the `/shares/{token}` of earlier releases would fail the update. The gateway keeps the
 * old name; the function reads either (lambdas/albums/functions/revoke-share/handler.ts).
 */
export const GATEWAY_PATHS: Readonly<Record<string, string>> = {
  '/shares/{id}': '/shares/{token}',
};
