import type { TableDeclaration } from '../settings/resources';

/** The longest a link may stay open: a year. */
export const MAX_SHARE_DAYS = 365;

/**
 * The shares table (share links, docs/api.md#share-links), shared by the generic construct
 * (lib/constructs/declared.ts), the store and the local runner. Items:
 *
 * | item                        | pk                     | sk                      | besides                              |
 * | --------------------------- | ---------------------- | ----------------------- | ------------------------------------ |
 * | a share link                | `SH#<sha256 of token>` | `SHARE`                 | owner, target, title, createdAt, expiresAt?, ttl?, passwordHash?, allowDownload, revokedAt?; `shareOwner`, `shareSort` (never the token) |
 * | its views                   | `SH#<sha256 of token>` | `VIEWS`                 | views, ttl? (the link's)             |
 * | its password attempts in a window | `SH#<sha256 of token>` | `TRY#<window start>` | count, ttl                         |
 * | one client's attempts in a window | `SH#<sha256 of token>` | `TRY#<window start>#<client>` | count, ttl                |
 * | a smart album's page as links show it | `SP#<albumId>`     | `PAGE#<page digest>`    | version, imageIds, nextCursor?, madeAt, refreshUntil?, ttl |
 * | a photo of it saved by a signed-in caller | `SH#<sha256 of token>` | `SAVE#<imageId>#<caller>` | copyId, savedAt, ttl? (the link's expiry's) |
 *
 * Access patterns:
 *
 * | pattern                                          | how                                                     |
 * | ------------------------------------------------ | ------------------------------------------------------- |
 * | a link, by its token (`GET /shared/{token}`, revoke) | GetItem by the token's hash, strongly consistent (a revoke holds at once) |
 * | an owner's link, by its shareId (revoke)         | Query `byOwnerShares` of the owner, filtered on the key's first 16 hex digits, newest first until found |
 * | an owner's links, newest first (`GET /shares`)   | Query `byOwnerShares` descending, a page at a time; BatchGetItem of the page's `VIEWS` |
 * | a view counted                                   | UpdateItem ADD views, of `VIEWS` only                   |
 * | a password attempt claimed, before it is checked | UpdateItem ADD count if count < max, the client's item then the link's; a right one given back (ADD -1) |
 * | a photo saved from it (`POST /shared/{token}/save`), once per caller | PutItem if absent; if present, GetItem (strongly consistent): its copy's id |
 * | a smart album's page, its search run at most once in 5 minutes | GetItem (eventually consistent); its refresh claimed by one view (UpdateItem if no claim holds), the search's page put (UpdateItem if its album version is not older) |
 *
 * Items are keyed by the token's hash and never hold the token (it is answered once, when the link is made): keys
 * reach logs (CloudTrail data events, error messages), and a table read alone must not open a link. An item an
 * older version wrote still has a `token` attribute: the store never reads it, and a revoke removes it. A link with
 * an expiry, and a revoked one, go 30 days after (TTL); until then it answers 410 rather than 404. Its views are an
 * item of their own, without the index's attributes: a view writes 1 unit, not 2 (the link's item and its
 * `byOwnerShares` entry, which projects all), and the views of an owner's links do not all write to one key of the
 * index. The item goes with its link (the same TTL). A smart album's kept page holds image ids and a cursor, nothing
 * of a link, and goes an hour after it was made (TTL). A save's item names the copy a caller made of a photo, so a
 * replayed save makes none; it goes with an expiring link (its TTL), and a revoked link's stay (a revoked link saves
 * nothing more, and a few bytes each are cheaper than finding them).
 */
export const SHARES_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
  indexes: {
    byOwnerShares: {
      indexName: 'byOwnerShares',
      /** The link's owner. Only link items have it. */
      partitionKey: 'shareOwner',
      /** `<createdAt>#<hash>`: read descending, newest first. */
      sortKey: 'shareSort',
      projection: 'ALL',
    },
  },
} as const;

export function shareKey(hash: string) {
  return { pk: `SH#${hash}`, sk: 'SHARE' };
}

/** A link's views: the count alone, out of the owner index. */
export function viewsKey(hash: string) {
  return { pk: `SH#${hash}`, sk: 'VIEWS' };
}

/** The copy `caller` saved of the link's photo `imageId`: one per caller and photo, within the link's items. */
export function savedKey(hash: string, imageId: string, caller: string) {
  return { pk: `SH#${hash}`, sk: `SAVE#${imageId}#${caller}` };
}

/**
 * Whose password attempts an item counts, in the window that starts at `window` (ISO 8601): every client's (the
 * link's ceiling), or one client's (`client`: a hash of its network address, never the address).
 */
export interface AttemptScope {
  window: string;
  client?: string;
}

/** A link's password attempts in a window: the link's, or one client's. */
export function attemptsKey(hash: string, { window, client }: AttemptScope) {
  return { pk: `SH#${hash}`, sk: client === undefined ? `TRY#${window}` : `TRY#${window}#${client}` };
}

/**
 * A smart album's page as its links show it (shared-pages.ts): one item per album and page (`page`: a digest of the
 * page's size and cursor), whichever link opened it, since a link shows its album as the album's owner sees it.
 */
export function sharedPageKey(albumId: string, page: string) {
  return { pk: `SP#${albumId}`, sk: `PAGE#${page}` };
}

/** Where the share links are kept: every deployment has them. */
export interface SharesWiring {
  readonly tableName: string;
}

/** Share links of albums and images, and their wrong passwords (docs/api.md#share-links). */
export const SHARES_TABLE: TableDeclaration = {
  name: 'shares',
  design: SHARES_TABLE_DESIGN,
  wiring: (tableName) => ({ shares: { tableName } satisfies SharesWiring }),
  output: { name: 'SharesTableName', description: 'Share links of albums and images' },
};
