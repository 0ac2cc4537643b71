import { type Command, InvalidArgumentError } from 'commander';
import type { PlaceNames } from '../../core/place';
import { withApiOptions } from '../api-options';
import type { PlaceFlags } from './place';
import { PLACES_EXIT_HELP, type PlacesFlags } from './places';

/*
 * The places room's two commands: `places` lists where the caller's photos were taken, `place` corrects one image's
 * place. They are two entries of main.ts's list, so each keeps its place in the help.
 */

/** `image-intel places`: the caller's places with how many photos each (`GET /places`). */
export function addPlacesCommand(program: Command, exit: (code: number) => void): void {
  withApiOptions(program.command('places'))
    .description(
      'print the places your photos were taken at with how many each, by country, region and locality, and the ' +
        '`search` filters that list them (docs/places.md)',
    )
    .summary('your places, with how many photos each')
    .option('--owner <owner>', "admins: this owner's places")
    .option('--partner <owner>', 'the places of an owner who shares their whole library with you')
    .addHelpText('after', PLACES_EXIT_HELP)
    .action(async (flags: PlacesFlags) => {
      const { placesCommand } = await import('./places');
      exit(await placesCommand(flags));
    });
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

/** `image-intel place <id> --position | --name | --clear | --reset` (`PUT`/`DELETE /images/{id}/place`). */
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
    .action(async (imageId: string, flags: PlaceFlags) => {
      const { placeCommand } = await import('./place');
      exit(await placeCommand(imageId, flags));
    });
}
