import { API_COMMAND_EXIT, type ApiFlags, type CallApi, type CommandIo, runApiCommand } from '../api-command';
import { table } from '../table';

export { type CallApi, type CommandIo, exitOf, type Out } from '../api-command';

/*
 * `image-intel albums ...`: the album routes (`/albums...`, docs/api.md#albums), printed for people by default and
 * as one JSON line per thing with --json. The share commands (share.ts) run their calls the same way.
 */

export interface AlbumsFlags extends ApiFlags {
  /** One JSON line per album, photo or answer, as the API gives it. */
  json?: boolean;
}

/** The album and share commands' exit codes: the API commands' (../api-command.ts). */
export const ALBUMS_EXIT = API_COMMAND_EXIT;

/** An album as the API answers it (docs/api.md#albums); the fields printed, the rest passes through with --json. */
export interface AlbumAnswer {
  albumId: string;
  name: string;
  kind: 'manual' | 'smart';
  smart?: Record<string, unknown>;
  order: 'added' | 'taken';
  count?: number;
  coverImageId?: string;
  createdAt: string;
  updatedAt: string;
}

/** A photo of an album's page: the list's summary. */
export interface AlbumPhoto {
  imageId: string;
  filename?: string;
  status?: string;
  takenAt?: string;
  createdAt?: string;
}

/** The API takes at most this many image ids a call (POST and DELETE /albums/{id}/images). */
export const IMAGES_PER_CALL = 100;
/** The API serves at most this many albums or photos a page. */
const PAGE_SIZE = 100;

/** Runs one command's calls (runApiCommand). */
export const run = runApiCommand;

type Page<T> = { items: T[]; cursor?: string } & Record<string, unknown>;

/**
 * Every item of a paged GET, each as it comes, following the cursor until no page follows or `cap` are taken; the
 * first page (for what it says besides its items) and the cursor left, if any.
 */
export async function eachItem<T>(
  client: CallApi,
  path: string,
  cap: number,
  each: (item: T) => void,
): Promise<{ first: Page<T>; cursor?: string }> {
  let taken = 0;
  let cursor: string | undefined;
  let first: Page<T> | undefined;
  do {
    const params = new URLSearchParams({ limit: String(Math.min(PAGE_SIZE, cap - taken)) });
    if (cursor !== undefined) params.set('cursor', cursor);
    const page = (await client.call('GET', `${path}?${params}`)) as Page<T>;
    first ??= page;
    for (const item of page.items.slice(0, cap - taken)) {
      each(item);
      taken++;
    }
    cursor = page.cursor;
  } while (cursor !== undefined && taken < cap);
  return { first: first as Page<T>, cursor };
}

const albumPath = (albumId: string, rest = '') => `/albums/${encodeURIComponent(albumId)}${rest}`;
const photos = (count: number) => `${count} photo${count === 1 ? '' : 's'}`;

/** `albums list`: the caller's albums, newest first. */
export function listAlbumsCommand(flags: AlbumsFlags & { limit?: number }, io: CommandIo = {}) {
  return run(flags, io, async (client, out) => {
    const albums: AlbumAnswer[] = [];
    await eachItem<AlbumAnswer>(client, '/albums', flags.limit ?? Number.POSITIVE_INFINITY, (album) =>
      flags.json ? out(JSON.stringify(album)) : albums.push(album),
    );
    if (flags.json) return;
    if (albums.length === 0) return out('No albums (image-intel albums create NAME makes one).');
    for (const line of albumTable(albums)) out(line);
  });
}

/** Albums for people: name, how many photos (a smart album's change: its search), order, and the id to use. */
export function albumTable(albums: readonly AlbumAnswer[]): string[] {
  return table(
    ['NAME', 'PHOTOS', 'ORDER', 'ALBUM-ID'],
    albums.map((album) => [
      album.name,
      album.kind === 'smart' ? 'smart' : String(album.count ?? 0),
      album.order === 'taken' ? 'date taken' : 'added',
      album.albumId,
    ]),
  );
}

/** `albums create NAME [--smart ...] [--order taken]`: the album made. */
export function createAlbumCommand(
  body: { name: string; smart?: Record<string, string | string[]>; order?: 'added' | 'taken' },
  flags: AlbumsFlags,
  io: CommandIo = {},
) {
  return run(flags, io, async (client, out) => {
    const album = (await client.call('POST', '/albums', body)) as AlbumAnswer;
    if (flags.json) return out(JSON.stringify(album));
    out(
      `Created ${album.albumId} “${album.name}”${album.kind === 'smart' ? ' (smart: its search, kept current)' : ''}`,
    );
  });
}

/** `albums show ID`: the album, then its photos (newest first, or by date taken), `limit` of them (default 100). */
export function showAlbumCommand(albumId: string, flags: AlbumsFlags & { limit?: number }, io: CommandIo = {}) {
  return run(flags, io, async (client, out, err) => {
    const items: AlbumPhoto[] = [];
    const { first, cursor: more } = await eachItem<AlbumPhoto>(
      client,
      albumPath(albumId),
      flags.limit ?? PAGE_SIZE,
      (item) => items.push(item),
    );
    const album = first.album as AlbumAnswer;
    if (flags.json) {
      out(JSON.stringify(album));
      for (const item of items) out(JSON.stringify(item));
      return;
    }
    for (const line of albumLines(album)) out(line);
    out('');
    if (items.length === 0) out('No photos in it yet (image-intel albums add ID IMAGE-ID... adds some).');
    else {
      for (const line of table(
        ['TAKEN OR UPLOADED', 'NAME', 'IMAGE-ID'],
        items.map((item) => [item.takenAt ?? item.createdAt ?? '-', item.filename ?? '-', item.imageId]),
      )) {
        out(line);
      }
    }
    if (more !== undefined) err('more photos not shown: --limit N for more');
  });
}

/** An album, one field a line, for people. */
export function albumLines(album: AlbumAnswer): string[] {
  const lines = [
    ['id', album.albumId],
    ['name', album.name],
    ['photos', album.kind === 'smart' ? 'a smart album: the photos its search finds' : photos(album.count ?? 0)],
    ...(album.smart ? [['search', JSON.stringify(album.smart)]] : []),
    ['order', album.order === 'taken' ? 'date taken, newest first' : 'added, newest first'],
    ...(album.coverImageId ? [['cover', album.coverImageId]] : []),
    ['created', album.createdAt],
    ['updated', album.updatedAt],
  ];
  return lines.map(([name, value]) => `  ${`${name}:`.padEnd(10)}${value}`);
}

/**
 * `albums add ID IMAGE...` / `albums remove ID IMAGE...`: the images added or taken out, IMAGES_PER_CALL a call; the
 * album as it is after the last one.
 */
export function changeAlbumImagesCommand(
  change: 'add' | 'remove',
  albumId: string,
  imageIds: readonly string[],
  flags: AlbumsFlags,
  io: CommandIo = {},
) {
  return run(flags, io, async (client, out) => {
    const ids = [...new Set(imageIds)];
    let changed = 0;
    let album: AlbumAnswer | undefined;
    for (let at = 0; at < ids.length; at += IMAGES_PER_CALL) {
      const answer = (await client.call(change === 'add' ? 'POST' : 'DELETE', albumPath(albumId, '/images'), {
        imageIds: ids.slice(at, at + IMAGES_PER_CALL),
      })) as { added?: number; removed?: number; album: AlbumAnswer };
      changed += (change === 'add' ? answer.added : answer.removed) ?? 0;
      album = answer.album;
      if (flags.json) out(JSON.stringify(answer));
    }
    if (flags.json || !album) return;
    const unchanged = ids.length - changed;
    const already = unchanged > 0 ? ` (${unchanged} ${change === 'add' ? 'already in it' : 'not in it'})` : '';
    out(
      `${change === 'add' ? 'Added' : 'Removed'} ${photos(changed)} ${change === 'add' ? 'to' : 'from'} “${album.name}”` +
        `${already}: it holds ${photos(album.count ?? 0)}`,
    );
  });
}

/** `albums rename ID NAME`, `albums cover ID IMAGE`, `albums order ID taken`: the album as it is now. */
export function updateAlbumCommand(
  albumId: string,
  change: { name?: string; coverImageId?: string; order?: 'added' | 'taken' },
  flags: AlbumsFlags,
  io: CommandIo = {},
) {
  return run(flags, io, async (client, out) => {
    const album = (await client.call('PATCH', albumPath(albumId), change)) as AlbumAnswer;
    if (flags.json) return out(JSON.stringify(album));
    out(`Updated ${album.albumId}`);
    for (const line of albumLines(album)) out(line);
  });
}

/** `albums delete ID`: the album and its links go, its photos stay. */
export function deleteAlbumCommand(albumId: string, flags: AlbumsFlags, io: CommandIo = {}) {
  return run(flags, io, async (client, out) => {
    await client.call('DELETE', albumPath(albumId));
    out(
      flags.json
        ? JSON.stringify({ albumId, deleted: true })
        : `Deleted ${albumId}: its photos stay, its share links no longer open`,
    );
  });
}
