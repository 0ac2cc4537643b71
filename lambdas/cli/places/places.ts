import type { CountryGroup, PlaceGroup, PlacesPage } from '../../places/functions/list-places/list-places';
import { mergePlacePages } from '../../places/place-pages';
import { failureOf, ImageApiClient } from '../api-client';

export interface PlacesFlags {
  api: string;
  apiKey?: string;
  token?: string;
  /** Admins: this owner's places. */
  owner?: string;
  /** The places of an owner who shares their whole library with the caller. */
  partner?: string;
}

/** `places`' exit codes, as `search`'s: printed (maybe nothing), the API refused or failed, a wrong command line. */
export const PLACES_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const PLACES_EXIT_HELP = `
Each line is a place with how many of your photos were taken there, countries,
then their regions (indented), then their localities; a country's count holds
its regions' and the photos no region names. The last column is what lists its
photos: image-intel search place=ch place=baselstadt place=basel

Exit codes:
  0  every place was printed (none, when no photo has a place)
  1  the API refused (403: another owner's places, not an admin; 404: --partner
     names an owner who does not share with you; 400: their grant is from a
     date or of albums), or could not be reached
  2  usage error: an unknown option
`;

/** `image-intel places`: the caller's places with their counts (`GET /places`, every page), as an indented tree. */
export async function placesCommand(
  flags: PlacesFlags,
  io: {
    out?: (line: string) => void;
    err?: (line: string) => void;
    client?: Pick<ImageApiClient, 'call'>;
  } = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`image-intel: ${line}\n`));
  const client = io.client ?? new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  try {
    const pages: PlacesPage[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({
        ...(flags.owner ? { owner: flags.owner } : {}),
        ...(flags.partner ? { partner: flags.partner } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const page = (await client.call('GET', `/places${query.size > 0 ? `?${query}` : ''}`)) as PlacesPage;
      pages.push(page);
      cursor = page.cursor;
    } while (cursor !== undefined);
    for (const line of placeLines(mergePlacePages(pages), flags.partner)) out(line);
    return PLACES_EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return PLACES_EXIT.failed;
  }
}

/**
 * One line a place: its count, its name (and its ISO code; a locality's GeoNames id is left out, a number no reader
 * knows) indented by level, and the search that lists its photos (a partner's: in their library).
 */
export function placeLines(countries: readonly CountryGroup[], partner?: string): string[] {
  const whose = partner === undefined ? '' : `partner=${partner} `;
  const width = String(Math.max(0, ...countries.map((country) => country.count))).length;
  const line = (group: PlaceGroup, depth: number) =>
    `${String(group.count).padStart(width)}  ${'  '.repeat(depth)}${group.name}${group.code && !/^\d+$/.test(group.code) ? ` (${group.code})` : ''}` +
    `\t${whose}${group.place.map((value) => `place=${value.includes(' ') ? `'${value}'` : value}`).join(' ')}`;
  return countries.flatMap((country) => [
    line(country, 0),
    ...country.regions.flatMap((region) => [
      line(region, 1),
      ...region.localities.map((locality) => line(locality, 2)),
    ]),
  ]);
}
