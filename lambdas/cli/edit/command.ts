import type { Command } from 'commander';
import { withApiOptions } from '../api-options';
import type { Edit, EditFlags } from './edit';

/*
 * The edits' commands (`tag`, `date`, `favourite`, `archive`, `rotate`, `crop`): each one call of docs/api.md "Edits", registered here
 * together (one line of main.ts's list); the code that runs them is loaded only when one runs.
 */

const EXIT_HELP = `
Kept when the image is analysed again; search (tag=, takenAfter, favourite=true)
and the timeline follow at once.

Exit codes: 0 done, 1 the API refused (400 a bad value, 404 no such image of
yours, 409 not PROCESSED yet or changed meanwhile: run it again), 2 usage error,
3 the API could not be reached.
`;

const ROTATE_HELP = `
Kept when the image is analysed again. Answers at once; the turned thumbnails
follow within the processor's time for one image (GET /images/{id} then says
rotationApplied).

Exit codes: 0 done, 1 the API refused (400 a bad value, 404 no such image of
yours, 409 not PROCESSED yet or changed meanwhile: run it again), 2 usage error,
3 the API could not be reached.
`;

const CROP_HELP = `
Fractions (0..1) of the upright photo, as you see it (after its EXIF orientation
and its rotation), e.g. the left half: --left 0 --top 0 --width 0.5 --height 1.
Absolute: each crop replaces the last. The original is kept whole. Answers at
once; the cut thumbnails follow within the processor's time for one image
(GET /images/{id} then says cropApplied).

Exit codes: 0 done, 1 the API refused (400 a crop outside the photo or too
small, 404 no such image of yours, 409 not PROCESSED yet or changed meanwhile:
run it again), 2 usage error, 3 the API could not be reached.
`;

const collect = (value: string, list: string[] = []) => [...list, value];

/**
 * `image-intel tag <id> --add <tag> --remove <tag>`, `date <id> <when> | --clear`, `favourite <id> [--off]`,
 * `archive <id...> [--off]`,
 * `rotate <id> <deg>`, `crop <id> --left .. --top .. --width .. --height .. | --reset`.
 */
export function addEditCommands(program: Command, exit: (code: number) => void): void {
  const run = async (imageId: string, flags: EditFlags, make: (edit: typeof import('./edit')) => Edit) => {
    const edit = await import('./edit');
    exit(await edit.editCommand(imageId, make(edit), flags));
  };
  const command = (name: string, idName = 'imageId', after = EXIT_HELP) =>
    withApiOptions(program.command(name))
      .argument(`<${idName}>`, 'the image (yours, PROCESSED)')
      .option('--json', 'the answer as the API gives it, one JSON line')
      .addHelpText('after', after);

  command('tag')
    .description(
      "add or take away an image's tags (compared as tag= finds them: case, accents and punctuation ignored)",
    )
    .summary("change an image's tags")
    .option('--add <tag>', 'a tag to add (repeat for more)', collect)
    .option('--remove <tag>', 'a tag to take away (repeat for more)', collect)
    .action(async (imageId: string, flags: EditFlags & { add?: string[]; remove?: string[] }) => {
      await run(imageId, flags, (edit) => edit.tagEdit(flags.add ?? [], flags.remove ?? []));
    });

  const date = command('date')
    .description(
      'set when an image was taken: ISO 8601, the local time where it was taken with its offset from UTC ' +
        '(2024-07-14T18:30:00+02:00; Z for UTC), or without one as cameras record it (2024-07-14T18:30:00). Its ' +
        'EXIF date stays in its analysis; --clear goes back to it',
    )
    .summary('set when an image was taken')
    // `[at]`, not `[takenAt]`: the top-level help's column is as wide as its longest command, and every summary fits.
    .argument('[at]', 'when it was taken, e.g. 2024-07-14T18:30:00+02:00; leave it out with --clear')
    .option('--clear', "drop the date you gave: the photo's EXIF date (or its upload) applies again")
    .action(async (imageId: string, takenAt: string | undefined, flags: EditFlags & { clear?: boolean }) => {
      if ((takenAt === undefined) === (flags.clear !== true)) {
        date.error('error: give a date, or --clear (not both)', { exitCode: 2 });
      }
      await run(imageId, flags, (edit) => (flags.clear ? edit.dateClear() : edit.dateEdit(takenAt as string)));
    });

  // `<id> <deg>`: the top-level help's command column is as wide as its longest command, and every summary fits.
  const rotate = command('rotate', 'id', ROTATE_HELP)
    .description(
      'turn an image clockwise after its EXIF orientation: 90, 180 or 270, absolute (0 undoes). The image is ' +
        'analysed again from the turned picture (its thumbnails, renditions, faces, text and labels): one ' +
        're-analysis, at the queue’s pace',
    )
    .summary('turn an image by quarter turns')
    .argument('<deg>', '0, 90, 180 or 270: clockwise, after its EXIF orientation')
    .action(async (imageId: string, degrees: string, flags: EditFlags) => {
      const turn = Number(degrees);
      if (![0, 90, 180, 270].includes(turn) || !/^\d+$/.test(degrees)) {
        rotate.error(`error: degrees must be 0, 90, 180 or 270, not '${degrees}'`, { exitCode: 2 });
      }
      await run(imageId, flags, (edit) => edit.rotateEdit(turn));
    });

  const SIDES = ['left', 'top', 'width', 'height'] as const;
  const crop = command('crop', 'id', CROP_HELP)
    .description(
      'keep a part of an image: the image is analysed again from the part kept (its size, thumbnails, ' +
        'renditions, faces, text and labels): one re-analysis, at the queue’s pace; --reset keeps the whole again',
    )
    .summary('crop an image, or undo its crop')
    .option('--left <fraction>', 'where the part starts, from the left (0..1 of the width)')
    .option('--top <fraction>', 'where the part starts, from the top (0..1 of the height)')
    .option('--width <fraction>', 'the width kept (0..1 of the width)')
    .option('--height <fraction>', 'the height kept (0..1 of the height)')
    .option('--reset', 'undo the crop: the whole photo again')
    .action(
      async (
        imageId: string,
        flags: EditFlags & Partial<Record<(typeof SIDES)[number], string>> & { reset?: boolean },
      ) => {
        const given = SIDES.filter((side) => flags[side] !== undefined);
        if (flags.reset) {
          if (given.length > 0) crop.error('error: give --reset, or the four sides (not both)', { exitCode: 2 });
          return run(imageId, flags, (edit) => edit.cropReset());
        }
        if (given.length < SIDES.length) {
          crop.error('error: give --left, --top, --width and --height (fractions 0..1), or --reset', { exitCode: 2 });
        }
        const part = Object.fromEntries(
          SIDES.map((side) => {
            const text = flags[side] as string;
            const value = Number(text);
            if (text.trim() === '' || !Number.isFinite(value)) {
              crop.error(`error: --${side} must be a number from 0 to 1, not '${text}'`, { exitCode: 2 });
            }
            return [side, value];
          }),
        ) as Record<(typeof SIDES)[number], number>;
        await run(imageId, flags, (edit) => edit.cropEdit(part));
      },
    );

  command('favourite')
    .description('mark an image a favourite (--off: unmark it); favourite=true finds your favourites')
    .summary('mark an image a favourite, or unmark it')
    .option('--off', 'not a favourite any more')
    .action(async (imageId: string, flags: EditFlags & { off?: boolean }) => {
      await run(imageId, flags, (edit) => edit.favouriteEdit(flags.off !== true));
    });

  withApiOptions(program.command('archive'))
    .description(
      'archive images (--off: bring them back): out of the timeline and the default list, still in their albums, ' +
        'places, people and searches; GET /images?archived=true lists them. One call per image, each answered on ' +
        'its own line',
    )
    .summary('archive images, or bring them back')
    // <ids...>, not <imageIds...>: the longer name widened the help's command column and wrapped analyze's summary.
    .argument('<ids...>', 'the images (yours, PROCESSED)')
    .option('--off', 'not archived any more: back in the timeline')
    .option('--json', 'each answer as the API gives it, one JSON line')
    .addHelpText('after', EXIT_HELP.replace('search (tag=, takenAfter, favourite=true)', 'the archive (archived=true)'))
    .action(async (imageIds: string[], flags: EditFlags & { off?: boolean }) => {
      const edit = await import('./edit');
      exit(await edit.editEach(imageIds, edit.archiveEdit(flags.off !== true), flags));
    });
}
