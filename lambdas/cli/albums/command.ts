import { type Command, InvalidArgumentError, Option } from 'commander';
import { isRepeatable } from '../../search/filters';
import { withApiOptions } from '../api-options';
import { positiveInt } from '../arguments';
import { filterEntry } from '../search/command';
import type { Filter } from '../search/search';
import type { AlbumsFlags } from './albums';

export const ALBUMS_HELP = `
An album gathers your photos (at most 100,000); deleting it leaves them where
they are. A smart album (create --smart) is a saved search: it holds the
photos the search finds, so a photo uploaded later that matches is in it.
Share one with image-intel share album ID (docs/api.md#albums).

Output is for people; --json prints one JSON line per album, photo or answer,
as the API gives it.

Exit codes:
  0  done
  1  the API refused (the message says why: 400 a bad name, id or search,
     404 no such album or photo of yours, 409 the album is smart or full or a
     photo is in the trash, 429 you have 10,000 albums)
  2  usage error: a missing argument, an unknown option
  3  the API could not be reached
`;

/** `--order`: newest added first, or by date taken. */
export function albumOrder(value: string): 'added' | 'taken' {
  if (value !== 'added' && value !== 'taken') throw new InvalidArgumentError('must be added or taken');
  return value;
}

/**
 * A smart album's search from `--smart` values (words and key=value filters, as `image-intel search` takes them), as
 * the API keeps it: a repeatable filter (`label`, `tag`...) a list, as `label=cat&label=dog` in GET /images; words
 * join as `q`; another filter given twice keeps its last value (the API checks each).
 */
export function smartQueryOf(filters: readonly Filter[]): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of filters) {
    const had = query[name];
    if (isRepeatable(name)) query[name] = [...((had as string[] | undefined) ?? []), value];
    else if (name === 'q' && had !== undefined) query[name] = `${had} ${value}`;
    else query[name] = value;
  }
  return query;
}

/** `image-intel albums ...`: list, create, show, add, remove, rename, cover, order, delete (the album routes). */
export function addAlbumsCommands(program: Command, exit: (code: number) => void): void {
  const albums = program
    .command('albums')
    .description('gather your photos into albums, by hand or by a saved search; list, show, change and delete them')
    .summary('albums: make, fill, show, delete')
    .addHelpText('after', ALBUMS_HELP);
  const command = (name: string) =>
    withApiOptions(albums.command(name))
      .option('--json', 'one JSON line per album, photo or answer, as the API gives it')
      .addHelpText('after', ALBUMS_HELP);

  command('list')
    .description('print your albums, newest first: name, photos, order and album id')
    .option('--limit <n>', 'print at most this many (default: every album)', positiveInt)
    .action(async (flags: AlbumsFlags & { limit?: number }) => {
      const { listAlbumsCommand } = await import('./albums');
      exit(await listAlbumsCommand(flags));
    });

  command('create')
    .description('make an album; with --smart, a smart album: a saved search that stays current')
    .argument('<name>', 'its name, 1 to 128 characters')
    .option(
      '--smart <filter>',
      'a smart album of this search: words, or key=value as image-intel search takes (repeat for more)',
      filterEntry,
    )
    .addOption(new Option('--order <order>', 'added (newest added first) or taken (date taken)').argParser(albumOrder))
    .action(async (name: string, flags: AlbumsFlags & { smart?: Filter[]; order?: 'added' | 'taken' }) => {
      const { createAlbumCommand } = await import('./albums');
      const body = {
        name,
        ...(flags.smart && { smart: smartQueryOf(flags.smart) }),
        ...(flags.order && { order: flags.order }),
      };
      exit(await createAlbumCommand(body, flags));
    });

  command('show')
    .description("print an album and its photos (the album's order): taken or added, name and image id")
    .argument('<albumId>', 'the album (al_...)')
    .option('--limit <n>', 'print at most this many photos (default 100)', positiveInt)
    .action(async (albumId: string, flags: AlbumsFlags & { limit?: number }) => {
      const { showAlbumCommand } = await import('./albums');
      exit(await showAlbumCommand(albumId, flags));
    });

  for (const [name, help] of [
    ['add', 'add your photos to an album (those already in it stay once)'],
    ['remove', 'take photos out of an album (the photos stay in your library)'],
  ] as const) {
    command(name)
      .description(help)
      .argument('<albumId>', 'the album (al_...)')
      .argument('<imageIds...>', 'the photos (100 a request; as many as you like)')
      .action(async (albumId: string, imageIds: string[], flags: AlbumsFlags) => {
        const { changeAlbumImagesCommand } = await import('./albums');
        exit(await changeAlbumImagesCommand(name, albumId, imageIds, flags));
      });
  }

  command('rename')
    .description('give an album a new name; print it')
    .argument('<albumId>', 'the album (al_...)')
    .argument('<name>', 'the new name')
    .action(async (albumId: string, name: string, flags: AlbumsFlags) => {
      const { updateAlbumCommand } = await import('./albums');
      exit(await updateAlbumCommand(albumId, { name }, flags));
    });

  command('cover')
    .description("make one of an album's photos its cover; print it")
    .argument('<albumId>', 'the album (al_...)')
    .argument('<imageId>', 'a photo in it')
    .action(async (albumId: string, coverImageId: string, flags: AlbumsFlags) => {
      const { updateAlbumCommand } = await import('./albums');
      exit(await updateAlbumCommand(albumId, { coverImageId }, flags));
    });

  command('order')
    .description("set an album's order: added (newest added first) or taken (date taken, newest first)")
    .argument('<albumId>', 'the album (al_...)')
    .argument('<order>', 'added or taken', albumOrder)
    .action(async (albumId: string, order: 'added' | 'taken', flags: AlbumsFlags) => {
      const { updateAlbumCommand } = await import('./albums');
      exit(await updateAlbumCommand(albumId, { order }, flags));
    });

  command('delete')
    .description('delete an album: its photos stay, its share links no longer open')
    .argument('<albumId>', 'the album (al_...)')
    .action(async (albumId: string, flags: AlbumsFlags) => {
      const { deleteAlbumCommand } = await import('./albums');
      exit(await deleteAlbumCommand(albumId, flags));
    });
}
