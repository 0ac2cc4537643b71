import { type Command, InvalidArgumentError } from 'commander';
import type { PlaceNames } from '../core/place';
import type { PlaceAnswer } from '../places/functions/place-contract';
import { failureOf, ImageApiClient } from './api-client';
import { withApiOptions } from './api-options';
import { WEBHOOKS_EXIT as EXIT, exitOf, type Out } from './webhooks';

/*
 * `image-intel place <id> --position | --name | --clear | --reset`: correct where an image was taken
 * (`PUT`/`DELETE /images/{id}/place`, docs/places.md "Corrections").
 */

export interface PlaceFlags {
  api: string;
  apiKey?: string;
  token?: string;
  position?: { latitude: number; longitude: number };
  name?: PlaceNames;
  clear?: boolean;
  reset?: boolean;
  json?: boolean;
}

const PLACE_HELP = `
Exactly one of:
  --position 47.56,7.59             a position of yours, named from the places data
  --name "Riehen, Basel-City, CH"   the place as you name it: locality, [area,]
                                    [region,] country (a two-letter country is
                                    taken as its ISO code too)
  --clear                           the image has no place (whatever its GPS says)
  --reset                           drop your correction: back to the photo's GPS
A correction is kept when the image is analysed again.

Exit codes: 0 done, 1 the API refused (400 a bad body, 404 no such image of
yours, 409 not PROCESSED yet), 2 usage error, 3 the API could not be reached.
`;

/** `47.56,7.59` as a position, or a usage error. */
export function parsePosition(value: string): { latitude: number; longitude: number } {
  const [lat, lon, ...rest] = value.split(',').map((part) => part.trim());
  const latitude = Number(lat);
  const longitude = Number(lon);
  if (rest.length > 0 || lat === '' || lon === '' || !Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    throw new InvalidArgumentError(`${value}: a position is LATITUDE,LONGITUDE in degrees, e.g. 47.56,7.59`);
  }
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    throw new InvalidArgumentError(`${value}: the latitude is -90 to 90, the longitude -180 to 180`);
  }
  return { latitude, longitude };
}

/** `Locality, [Area,] [Region,] Country` as place names, from the town up; one part names only the locality. */
export function parsePlaceName(value: string): PlaceNames {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length > 4 || parts.some((part) => part === '')) {
    throw new InvalidArgumentError(`${value}: name a place as "Locality, [Area,] [Region,] Country", up to four parts`);
  }
  const level = (name: string) => ({ name });
  const [locality = '', ...rest] = parts;
  const names: PlaceNames = { locality: level(locality) };
  const country = rest.pop();
  if (country !== undefined) {
    names.country = /^[A-Za-z]{2}$/.test(country)
      ? { name: country.toUpperCase(), code: country.toUpperCase() }
      : level(country);
  }
  const region = rest.pop();
  if (region !== undefined) names.region = level(region);
  const area = rest.pop();
  if (area !== undefined) names.area = level(area);
  return names;
}

function placeLines(answer: PlaceAnswer): string[] {
  const { place, placeCorrection } = answer;
  const named = place
    ? [place.locality, place.area, place.region, place.country]
        .flatMap((level) => (level ? [level.name] : []))
        .join(', ')
    : 'no place';
  const why = placeCorrection ? `corrected at ${placeCorrection.at}` : "from the photo's GPS";
  return [`${answer.imageId}: ${named}${place ? ` (source ${place.source})` : ''}, ${why}`];
}

/** The body of the one change asked for, or the usage error when none or more than one is. */
export function placeChangeOf(flags: PlaceFlags): { method: 'PUT' | 'DELETE'; body?: unknown } {
  const asked = [flags.position, flags.name, flags.clear, flags.reset].filter((flag) => flag !== undefined);
  if (asked.length !== 1) throw new InvalidArgumentError('give exactly one of --position, --name, --clear, --reset');
  if (flags.reset) return { method: 'DELETE' };
  if (flags.clear) return { method: 'PUT', body: { cleared: true } };
  if (flags.position) return { method: 'PUT', body: { position: flags.position } };
  return { method: 'PUT', body: { place: flags.name } };
}

/** One call, printed; a failure is one line on stderr, in the API's words, and its exit code. */
export async function placeCommand(
  imageId: string,
  flags: PlaceFlags,
  io: { out?: Out; err?: Out; client?: Pick<ImageApiClient, 'call'> } = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`image-intel: ${line}\n`));
  let change: ReturnType<typeof placeChangeOf>;
  try {
    change = placeChangeOf(flags);
  } catch (error) {
    err((error as Error).message);
    return EXIT.usage;
  }
  const client = io.client ?? new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  try {
    const path = `/images/${encodeURIComponent(imageId)}/place`;
    const answer = (await client.call(change.method, path, change.body)) as PlaceAnswer;
    if (flags.json) out(JSON.stringify(answer));
    else for (const line of placeLines(answer)) out(line);
    return EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return exitOf(error);
  }
}

export function addPlaceCommand(program: Command, exit: (code: number) => void): void {
  withApiOptions(program.command('place'))
    .description("correct where an image was taken: a position, a name, none, or back to the photo's GPS")
    .summary("correct an image's place")
    .argument('<imageId>', 'the image (yours, PROCESSED)')
    .option('--position <lat,lon>', 'a position of yours, named from the places data', parsePosition)
    .option('--name <place>', '"Locality, [Area,] [Region,] Country", as you name it', parsePlaceName)
    .option('--clear', 'the image has no place')
    .option('--reset', "drop the correction: back to the photo's GPS")
    .option('--json', 'the answer as the API gives it, one JSON line')
    .addHelpText('after', PLACE_HELP)
    .action(async (imageId: string, flags: PlaceFlags) => exit(await placeCommand(imageId, flags)));
}
