import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { PlaceLevel, Position } from '../../../core/place';
import type { PlaceCount, PlaceCountPage } from '../../../search/place-counts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import type { ListPlacesQuery, PlacesPageSchema } from './route';

/** What the answer says of a cover photo besides its id: a link to its thumbnail, and where it was taken. */
export interface CoverDetails {
  thumbnailUrl: string;
  position?: Position;
}
export interface PlaceCover {
  imageId: string;
  thumbnailUrl: string;
  position?: Position;
}

/**
 * One place of the answer: its name as the data writes it, its photos, and the `place=` values that list them. `C`
 * is its cover as the counters know it (`{imageId}`), then as the answer gives it.
 */
export interface PlaceGroup<C = PlaceCover> {
  name: string;
  code?: string;
  count: number;
  place: string[];
  /** Its newest photo still there (of its places, for a country or region), when the counters know one. */
  cover?: C;
}
export interface RegionGroup<C = PlaceCover> extends PlaceGroup<C> {
  localities: PlaceGroup<C>[];
}
export interface CountryGroup<C = PlaceCover> extends PlaceGroup<C> {
  regions: RegionGroup<C>[];
}
type Counted = { imageId: string };
export interface PlacesPage {
  countries: CountryGroup[];
  cursor?: string;
}

export interface ListPlacesDeps {
  /** A page of an owner's places with their counts, by path (search/place-counts.ts). */
  counts(owner: string, page: { limit: number; cursor?: string }): Promise<PlaceCountPage>;
  /**
   * Each cover's thumbnail link and position (covers.ts); one it has no details of is left out of the map. For a
   * partner (`partnerOf`, the grantor), only covers the grantor's partner may see.
   */
  covers(imageIds: readonly string[], partnerOf?: string): Promise<Map<string, CoverDetails>>;
  /**
   * `partner=`: the grant from `grantor` to `partner`, read by key (lambdas/partners/grants.ts), if there is one.
   * @default - none: a partner's places are refused
   */
  grant?(grantor: string, partner: string): Promise<{ from?: string; albums?: string[] } | undefined>;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<PlacesPage, z.output<typeof PlacesPageSchema>> = true;

/**
 * The owner's places with how many photos each has, grouped country → region → locality:
 * 1. whose places: the caller's, or for an admin the `owner` named, or for a partner (`partner=`) the grantor's, if
 *    their grant covers their whole library (partnerScope);
 * 2. a page of the counters, by path (a Query per shard of the owner's counters, never a scan);
 * 3. grouped: a country's count is all its photos, those of no region named included; a region's likewise;
 * 4. each cover with a link to its thumbnail and its position (one BatchGetItem per 100 covers, a place's cover
 *    being one of its localities': a page of 1,000 places reads at most 1,000 records, projected).
 */
export async function listPlaces(query: ListPlacesQuery, caller: Caller, deps: ListPlacesDeps): Promise<PlacesPage> {
  if (query.partner !== undefined) await partnerScope(query, caller, deps);
  if (!caller.admin && query.owner !== undefined && query.owner !== caller.owner) {
    throw new ForbiddenError("owner: only an admin may list another owner's places");
  }
  const owner = query.partner ?? query.owner ?? caller.owner;
  let page: PlaceCountPage;
  try {
    page = await deps.counts(owner, { limit: query.limit, cursor: query.cursor });
  } catch (error) {
    // By name: the counters' cursors are store/page-cursor.ts's, which names its error so.
    if (error instanceof Error && error.name === 'InvalidCursorError') {
      throw new BadRequestError(`cursor: ${error.message}`);
    }
    throw error;
  }
  const grouped = groupPlaces(page.items);
  const ids = new Set<string>();
  for (const group of groupsOf(grouped)) if (group.cover) ids.add(group.cover.imageId);
  const details = ids.size > 0 ? await deps.covers([...ids], query.partner) : new Map<string, CoverDetails>();
  const countries = grouped.map((country) => ({
    ...withCover(country, details),
    regions: country.regions.map((region) => ({
      ...withCover(region, details),
      localities: region.localities.map((locality) => withCover(locality, details)),
    })),
  }));
  return page.cursor === undefined ? { countries } : { countries, cursor: page.cursor };
}

/**
 * Whether the caller may list `partner`'s places: a grant from them (none: the 404 a partner's list answers, which
 * tells nothing of that owner) that covers their whole library. The counters count every photo of the grantor's at
 * a place; what a grant from a date or of albums covers there could only be counted by reading every photo there,
 * so such a grant's places are refused with the way to its photos (docs/api.md#partners).
 */
async function partnerScope(query: ListPlacesQuery, caller: Caller, deps: ListPlacesDeps): Promise<void> {
  const grantor = query.partner as string;
  if (query.owner !== undefined) throw new BadRequestError("partner: a partner's places take no owner; leave it out");
  if (grantor === caller.owner) throw new BadRequestError('partner: your own places are listed without partner');
  if (!deps.grant) throw new BadRequestError('partner: this deployment has no partners');
  const grant = await deps.grant(grantor, caller.owner);
  if (!grant) throw new NotFoundError(`partner: ${grantor} has not shared their library with you`);
  if (grant.albums !== undefined || grant.from !== undefined) {
    const what = grant.albums !== undefined ? 'some albums' : `the photos taken from ${grant.from}`;
    throw new BadRequestError(
      `partner: ${grantor} shares ${what} with you, and places are counted over a whole library: ` +
        `list those photos with GET /images?partner=${grantor}`,
    );
  }
}

/** Every place of the tree, countries, regions and localities. */
function groupsOf(countries: readonly CountryGroup<Counted>[]): PlaceGroup<Counted>[] {
  return countries.flatMap((country) => [
    country,
    ...country.regions.flatMap((region) => [region, ...region.localities]),
  ]);
}

/** The place (its own fields, not its children) with its cover's details; a cover with none is left out. */
function withCover(group: PlaceGroup<Counted>, details: ReadonlyMap<string, CoverDetails>): PlaceGroup {
  const { name, code, count, place, cover } = group;
  const found = cover && details.get(cover.imageId);
  return {
    name,
    ...(code !== undefined && { code }),
    count,
    place,
    ...(cover && found && { cover: { imageId: cover.imageId, ...found } }),
  };
}

/**
 * Counts by path (`country/region/locality`, sorted) as a tree; a level a path lacks is counted in its parent. A
 * place with a level missing above one it has (Vatican City: a country with no region; an owner's name with no
 * country) is shown by the levels it has, each one up: the town under its country, or the town alone.
 */
export function groupPlaces(items: readonly PlaceCount[]): CountryGroup<Counted>[] {
  const countries: CountryGroup<Counted>[] = [];
  for (const { path, names, count, cover } of items) {
    const [countryKey = '', regionKey = '', localityKey = ''] = path.split('/');
    const levels = [
      { key: countryKey, level: names.country },
      { key: regionKey, level: names.region },
      { key: localityKey, level: names.locality },
    ].filter(({ key }) => key !== '');
    const [first, second, third] = levels;
    if (!first) continue;
    let country = countries.at(-1);
    if (country?.place.join('/') !== first.key) {
      country = { ...levelOf(first.level, first.key), count: 0, place: [first.key], regions: [] };
      countries.push(country);
    } else if (isBareCode(country) && first.level && !isBareCode(first.level)) {
      // A place named by hand before names were resolved ("CH"): the name another of its places has.
      Object.assign(country, levelOf(first.level, first.key));
    }
    country.count += count;
    newer(country, cover);
    if (!second) continue;
    let region = country.regions.at(-1);
    if (region?.place[1] !== second.key) {
      region = { ...levelOf(second.level, second.key), count: 0, place: [first.key, second.key], localities: [] };
      country.regions.push(region);
    }
    region.count += count;
    newer(region, cover);
    if (third) {
      const locality: PlaceGroup<Counted> = {
        ...levelOf(third.level, third.key),
        count,
        place: [...region.place, third.key],
      };
      newer(locality, cover);
      region.localities.push(locality);
    }
  }
  return countries;
}

/** The group's cover becomes `imageId` if it is newer (image ids are ULIDs: they sort by upload time). */
function newer(group: PlaceGroup<Counted>, imageId: string | undefined): void {
  if (imageId !== undefined && (group.cover === undefined || imageId > group.cover.imageId)) group.cover = { imageId };
}

/** A country named by its code alone ("CH"), as a correction stored before names were resolved may be. */
function isBareCode(level: { name: string; code?: string }): boolean {
  return level.code !== undefined && level.name.toUpperCase() === level.code.toUpperCase();
}

/** A level's name and code as the data wrote them, or its key when the counter has no names. */
function levelOf(level: PlaceLevel | undefined, key: string): { name: string; code?: string } {
  if (!level) return { name: key };
  return level.code === undefined ? { name: level.name } : { name: level.name, code: level.code };
}
