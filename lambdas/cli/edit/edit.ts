import type { DateTakenCleared } from '../../images/functions/clear-date-taken/clear-date-taken';
import type { CropAnswer } from '../../images/functions/crop-api';
import type { TagsAnswer } from '../../images/functions/edit-tags/edit-tags';
import type { RotationAnswer } from '../../images/functions/rotate-image/rotate-image';
import type { ArchivedAnswer } from '../../images/functions/set-archived/set-archived';
import type { DateTakenAnswer } from '../../images/functions/set-date-taken/set-date-taken';
import type { FavouriteAnswer } from '../../images/functions/set-favourite/set-favourite';
import { failureOf, ImageApiClient } from '../api-client';
import { WEBHOOKS_EXIT as EXIT, exitOf, type Out } from '../webhooks/webhooks';

/*
 * `image-intel tag`, `date`, `favourite`, `rotate` and `crop`: an owner's edits of an image after its upload (`PATCH
 * /images/{id}/tags`, `PUT` and `DELETE /images/{id}/taken`, `PUT /images/{id}/favourite`, `PUT
 * /images/{id}/rotation`, `PUT` and `DELETE /images/{id}/crop`; docs/api.md "Edits").
 */

export interface EditFlags {
  api: string;
  apiKey?: string;
  token?: string;
  json?: boolean;
}

/** One edit the command asks for: the call, and how its answer reads as a line. */
export interface Edit {
  method: 'PATCH' | 'PUT' | 'DELETE';
  /** The path under `/images/{id}/`. */
  path: 'tags' | 'taken' | 'favourite' | 'rotation' | 'crop' | 'archived' | 'locked';
  body: unknown;
  line: (answer: unknown) => string;
}

export function tagEdit(add: string[], remove: string[]): Edit {
  return {
    method: 'PATCH',
    path: 'tags',
    body: { add, remove },
    line: (answer) => {
      const { imageId, tags } = answer as TagsAnswer;
      return `${imageId}: ${tags.length > 0 ? tags.join(', ') : 'no tags'}`;
    },
  };
}

export function dateEdit(takenAt: string): Edit {
  return {
    method: 'PUT',
    path: 'taken',
    body: { takenAt },
    line: (answer) => {
      const { imageId, takenAt: local, takenCorrection, exifTakenAt } = answer as DateTakenAnswer;
      const exif = exifTakenAt ? `its EXIF says ${exifTakenAt}` : 'it has no EXIF date';
      return `${imageId}: taken ${local} (${takenCorrection.offset ?? 'no offset'}); ${exif}`;
    },
  };
}

/** `date --clear`: the owner's date dropped, the photo's own (EXIF, else its upload) again. */
export function dateClear(): Edit {
  return {
    method: 'DELETE',
    path: 'taken',
    body: undefined,
    line: (answer) => {
      const { imageId, takenAt } = answer as DateTakenCleared;
      return `${imageId}: ${takenAt ? `taken ${takenAt}, its EXIF date` : 'no date taken: sorted by its upload'}`;
    },
  };
}

export function favouriteEdit(favourite: boolean): Edit {
  return {
    method: 'PUT',
    path: 'favourite',
    body: { favourite },
    line: (answer) => {
      const { imageId, favourite: now } = answer as FavouriteAnswer;
      return `${imageId}: ${now ? 'a favourite' : 'not a favourite'}`;
    },
  };
}

/** `archive [--off]`: out of the timeline and the default list (`GET /images?archived=true` lists it), or back. */
export function archiveEdit(archived: boolean): Edit {
  return {
    method: 'PUT',
    path: 'archived',
    body: { archived },
    line: (answer) => {
      const { imageId, archived: now } = answer as ArchivedAnswer;
      return `${imageId}: ${now ? 'archived' : 'not archived'}`;
    },
  };
}

/**
 * The same edit of several images, one call each in turn (the API has no bulk route), every one tried: each answer
 * or failure is its own line, and the exit code is the first failure's (0 when all are done).
 */
export async function editEach(
  imageIds: readonly string[],
  edit: Edit,
  flags: EditFlags,
  io: Parameters<typeof editCommand>[3] = {},
): Promise<number> {
  let code: number = EXIT.ok;
  for (const imageId of imageIds) {
    const each = await editCommand(imageId, edit, flags, io);
    if (code === EXIT.ok) code = each;
  }
  return code;
}

/** `rotate <degrees>`: clockwise after the EXIF orientation, absolute (0 undoes); the API checks the value. */
export function rotateEdit(degrees: number): Edit {
  return {
    method: 'PUT',
    path: 'rotation',
    body: { degrees },
    line: (answer) => {
      const { imageId, rotation, status } = answer as RotationAnswer;
      const turn = rotation === 0 ? 'not turned' : `turned ${rotation}° clockwise`;
      return status === 'UNCHANGED'
        ? `${imageId}: ${turn} already`
        : `${imageId}: ${turn}; being analysed again: its thumbnails and renditions follow`;
    },
  };
}

/** `crop --left .. --top .. --width .. --height ..`: the part of the upright photo kept; the API checks it. */
export function cropEdit(crop: { left: number; top: number; width: number; height: number }): Edit {
  return { method: 'PUT', path: 'crop', body: crop, line: cropLine };
}

/** `crop --reset`: the whole photo again. */
export function cropReset(): Edit {
  return { method: 'DELETE', path: 'crop', body: undefined, line: cropLine };
}

function cropLine(answer: unknown): string {
  const { imageId, crop, status } = answer as CropAnswer;
  const whole = crop.left === 0 && crop.top === 0 && crop.width === 1 && crop.height === 1;
  const part = whole
    ? 'not cropped'
    : `cropped to ${percent(crop.width)} x ${percent(crop.height)} at ${percent(crop.left)}, ${percent(crop.top)}`;
  return status === 'UNCHANGED'
    ? `${imageId}: ${part} already`
    : `${imageId}: ${part}; being analysed again: its thumbnails and renditions follow`;
}

/** A fraction as a percentage, to a tenth at most. */
const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

/** One call, printed; a failure is one line on stderr, in the API's words, and its exit code. */
export async function editCommand(
  imageId: string,
  edit: Edit,
  flags: EditFlags,
  io: { out?: Out; err?: Out; client?: Pick<ImageApiClient, 'call'> } = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`image-intel: ${line}\n`));
  const client = io.client ?? new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  try {
    const answer = await client.call(edit.method, `/images/${encodeURIComponent(imageId)}/${edit.path}`, edit.body);
    out(flags.json ? JSON.stringify(answer) : edit.line(answer));
    return EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return exitOf(error);
  }
}
