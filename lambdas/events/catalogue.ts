/*
 * Every event type the pipeline publishes, declared once: its `detail-type`, the room that emits it, and its words (the
 * events catalogue in docs/events.md, the web app's webhook form). Plain data with no import, so the web app bundles it
 * and a description names an event without loading the schemas. Its detail's schema is `DETAIL_SCHEMAS` (events.ts),
 * keyed by these types (tsc refuses a type without one), and its committed JSON Schema is made from that
 * (schemas/, test/unit/events/json-schemas.test.ts). The catalogue's table in docs/events.md is made from this list:
 * `npm run docs:events` writes it, and test/unit/events/catalogue.test.ts fails when the two differ.
 */

/** One event type, as subscribers and the docs know it. */
export interface EventDeclaration {
  /** Its name in the code (`DETAIL_TYPES.deleted`). */
  readonly key: string;
  /** EventBridge `detail-type`: what subscribers match on, and never changes. */
  readonly detailType: string;
  /** The room whose code publishes it (lambdas/<room>/). */
  readonly room: string;
  /** What happened, in a few words: the web app's webhook form. */
  readonly hint: string;
  /** When it is published (Markdown): the catalogue's second column. */
  readonly when: string;
  /** What its `detail` adds to the base every image event has (Markdown): the catalogue's third column. */
  readonly adds: string;
}

/** Every event type, in the order the webhooks' API lists them. */
export const EVENT_CATALOGUE = [
  {
    key: 'processed',
    detailType: 'Image Processed',
    room: 'ingest',
    hint: 'an image is analysed and ready',
    when: "the image was analysed (and vision ran, or the record's `visionError` says why not)",
    adds: "`summary`: `width`, `height`, `format`, `size`, `sha256`, `phash`, `dominantColor`, `topLabels` (up to 5, most confident first; empty without vision), `moderationFlagged?` (its owner's moderation policy flagged it, on vision's categories or provenance's `AI Generated` and `Tampered Credentials`, which flag it with no vision too; absent when nothing checked it, [vision.md](vision.md#moderation-a-policy-per-owner)), `duplicateOf?`, `quality?` (`flags` and `sharpness`; from analysis 1.1.0), `people?` (with face grouping on: the ids of the people the image's faces joined, each once, as grouped; a person merged later answers under its new id in `GET /people/{id}`); `place?`: where it was taken, names only, never the position ([places.md](places.md#in-the-pipeline)); `provenance?`: where the image comes from, `summary` (`ai-generated`, `ai-edited`, `camera`, `edited`, `unknown`) and, when it has Content Credentials, `validation` (`valid`, `untrusted`, `invalid`: altered since signed, never trusted), from analysis 1.3.0 ([provenance.md](provenance.md))",
  },
  {
    key: 'rejected',
    detailType: 'Image Rejected',
    room: 'ingest',
    hint: 'an upload is not an image the pipeline takes',
    when: 'the input is unacceptable (never retried)',
    adds: '`rejection {code, message}`, `summary {size, sha256?, detectedFormat?}`',
  },
  {
    key: 'failed',
    detailType: 'Image Failed',
    room: 'ingest',
    hint: 'processing an image failed',
    when: 'every attempt failed; the message is in the DLQ',
    adds: '`error {code, message}`, `attempts`',
  },
  {
    key: 'deleted',
    detailType: 'Image Deleted',
    room: 'trash',
    hint: 'an image is deleted',
    when: "`DELETE /images/{id}?permanently=true` (or with `trashDays` 0), `POST /trash/empty`'s and the schedule's purge",
    adds: '`status`: the status the image had (`TRASHED` for a purge)',
  },
  {
    key: 'labelsChanged',
    detailType: 'Image Labels Changed',
    room: 'images',
    hint: 'someone corrects an image’s labels',
    when: '`PATCH /images/{id}/labels`',
    adds: "`labels [{name, source}]`: the labels now (`source` `model` or `user`); `added`, `removed`: the names the request gave; `by?`: who changed them (the caller's owner id)",
  },
  {
    key: 'placeChanged',
    detailType: 'Image Place Changed',
    room: 'places',
    hint: 'someone corrects or clears where an image was taken',
    when: '`PUT` or `DELETE /images/{id}/place`',
    adds: '`place?`: the place now (names, `source`, `data`; absent: none), `corrected`: whether a correction stands, `by?`; never the position ([places.md](places.md#corrections))',
  },
  {
    key: 'updated',
    detailType: 'Image Updated',
    room: 'images',
    hint: 'its owner changes an image’s tags, date taken or favourite',
    when: "`PATCH /images/{id}/tags`, `PUT` or `DELETE /images/{id}/taken`, `PUT /images/{id}/favourite`, `PUT /images/{id}/rotation` (its owner's edits, [api.md](api.md#edits-tags-date-taken-favourite))",
    adds: "`changed`: what this edit changed, of `tags`, `takenAt`, `favourite`, `rotation` (the turned pixels follow with `Image Processed`); `tags` (the base's field) the tags now; `takenAt?`: when it was taken now (local time, `YYYY-MM-DDTHH:MM:SS`: the owner's date, else the EXIF one; absent: unknown), `takenOffset?`: the owner's date's offset from UTC (`+02:00`, `Z`); `favourite`; `rotation?`: the clockwise turn its owner asked for (0, 90, 180, 270; absent: never rotated); `by?`: who changed it (the caller's owner id)",
  },
  {
    key: 'trashed',
    detailType: 'Image Trashed',
    room: 'trash',
    hint: 'an image is moved to the trash',
    when: '`DELETE /images/{id}` with the trash on',
    adds: '`status` `TRASHED`, `trashedFrom` (the status a restore puts back), `purgeAt`',
  },
  {
    key: 'restored',
    detailType: 'Image Restored',
    room: 'trash',
    hint: 'an image is restored from the trash',
    when: '`POST /images/{id}/restore`',
    adds: '`status`: the status it is back with',
  },
  {
    key: 'webhookDisabled',
    detailType: 'Webhook Endpoint Disabled',
    room: 'webhooks',
    hint: 'an endpoint is disabled after failing for too long',
    when: 'a webhook endpoint failed for `webhookDisableAfterHours` (24 h) without a success and was disabled ([webhooks.md](webhooks.md#disabled-endpoints))',
    adds: "not an image event: its detail is `{version, endpointId, owner?, url, failingSince, reason, occurredAt, eventId}`; `owner` is the endpoint's, absent for an admin's endpoint for every owner; `reason` the last attempt's error (`HTTP 503`, `timed out after 10 s`)",
  },
  {
    key: 'shareCreated',
    detailType: 'Share Created',
    room: 'shares',
    hint: 'its owner makes a share link to an album or a photo',
    when: '`POST /albums/{id}/shares` or `POST /images/{id}/shares` ([api.md](api.md#share-links))',
    adds: "not an image event: its detail is `{version, shareId, owner, kind, albumId?, imageId?, expiresAt?, protected, allowDownload, occurredAt, eventId}`; `shareId` is the first 16 hex digits of the token's SHA-256, never the token (which opens the link); `kind` `album` or `image`, with its id",
  },
  {
    key: 'shareRevoked',
    detailType: 'Share Revoked',
    room: 'shares',
    hint: 'its owner revokes a share link',
    when: '`DELETE /shares/{id}`, the first time',
    adds: 'the same detail as `Share Created`, `occurredAt` when it was revoked',
  },
] as const satisfies readonly EventDeclaration[];
