/* What an album is, as the table holds it and the routes take it: plain data, which the routes' descriptions read. */

/** `al_` and 20 hex characters (80 random bits): what `{id}` of `/albums/{id}` must be. */
export const ALBUM_ID_PATTERN = /^al_[0-9a-f]{20}$/;

/** An album's order: newest added first, or newest taken first (the images' timeline key when they were added). */
export const ALBUM_ORDERS = ['added', 'taken'] as const;
export type AlbumOrder = (typeof ALBUM_ORDERS)[number];

/** What a member may do: read the album (`viewer`), or read it and add their own photos (`contributor`). */
export const MEMBER_ROLES = ['viewer', 'contributor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * A smart album's saved search: `GET /images`'s search filters as its query string takes them (a string, or a list
 * of strings for a filter that repeats), checked when it is saved and run as the album's owner each time it is read.
 */
export type SmartQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

/** An album as the table holds it (table-design.ts). */
export interface Album {
  albumId: string;
  owner: string;
  name: string;
  kind: 'manual' | 'smart';
  smart?: SmartQuery;
  order: AlbumOrder;
  /** A manual album's members, trashed ones among them; a smart album's is 0. */
  count: number;
  coverImageId?: string;
  createdAt: string;
  updatedAt: string;
}
