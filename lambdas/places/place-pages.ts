/*
 * `GET /places` pages as one tree: a page ends after so many localities, so a country (or region) a page ends in goes
 * on at the next page's start. The CLI and the web app's Places view both read every page and merge them here. Plain
 * code over the answer's shape, no import: the web app bundles it (.dependency-cruiser.cjs).
 */

interface Group {
  count: number;
  place: string[];
}
interface Region<L extends Group> extends Group {
  localities: L[];
}
interface Country<R extends Region<Group>> extends Group {
  regions: R[];
}

/** The countries of every page, in order, one group per place: counts of a group split over pages added up. */
export function mergePlacePages<R extends Region<Group>, C extends Country<R>>(
  pages: readonly { countries: readonly C[] }[],
): C[] {
  const same = (a: Group, b: Group) => a.place.join('/') === b.place.join('/');
  const countries: C[] = [];
  for (const country of pages.flatMap((page) => page.countries)) {
    const last = countries.at(-1);
    if (!last || !same(last, country)) {
      countries.push({ ...country, regions: country.regions.map((region) => ({ ...region })) });
      continue;
    }
    last.count += country.count;
    for (const region of country.regions) {
      const lastRegion = last.regions.at(-1);
      if (lastRegion && same(lastRegion, region)) {
        lastRegion.count += region.count;
        lastRegion.localities = [...lastRegion.localities, ...region.localities];
      } else last.regions.push({ ...region });
    }
  }
  return countries;
}
