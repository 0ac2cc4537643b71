import { useEffect, useState } from 'preact/hooks';
import { mergePlacePages } from '../../../lambdas/places/place-pages';
import { api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import { PlacesAttribution } from '../places-attribution';
import { useTitle } from '../title';
import type { PlaceCountry, PlaceGroup, PlacesPage } from '../types';

/*
 * The Places view: the owner's places as `GET /places` counts them, country, region, locality, each a link to the
 * gallery searching for it (`place=` with the values the API names for it). Every page is read first: a country a
 * page ends in goes on at the next page's start, so the pages are merged before they are shown.
 */

export function Places() {
  useTitle('Places');
  const [state, setState] = useState<{ countries?: PlaceCountry[]; problem?: string }>({});
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      const pages: PlacesPage[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listPlaces({ cursor }, controller.signal);
        pages.push(page);
        cursor = page.cursor;
      } while (cursor !== undefined);
      setState({ countries: mergePlacePages(pages) });
    })().catch((error: unknown) => {
      if (!isAbort(error)) setState({ problem: errorMessage(error) });
    });
    return () => controller.abort();
  }, []);
  const { countries, problem } = state;
  return (
    <section aria-labelledby="places-title">
      <h1 id="places-title">Places</h1>
      {problem && <p role="alert">{problem}</p>}
      {!countries && !problem && <p role="status">Loading places…</p>}
      {countries?.length === 0 && <p>No photo has a place yet: photos with GPS get one as they are analysed.</p>}
      {countries && countries.length > 0 && (
        <ul class="places" aria-label="Places">
          {countries.map((country) => (
            <li key={country.place.join('/')}>
              <PlaceLink group={country} />
              <ul>
                {country.regions.map((region) => (
                  <li key={region.place.join('/')}>
                    <PlaceLink group={region} />
                    <ul>
                      {region.localities.map((locality) => (
                        <li key={locality.place.join('/')}>
                          <PlaceLink group={locality} />
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {countries && countries.length > 0 && <PlacesAttribution />}
    </section>
  );
}

/** A place and its count, linking to the gallery's search for its photos. */
function PlaceLink({ group }: { group: PlaceGroup }) {
  const query = new URLSearchParams(group.place.map((value) => ['place', value]));
  return (
    <a href={`${appPath()}?${query}`}>
      {group.name} <span class="muted">{`${group.count} photo${group.count === 1 ? '' : 's'}`}</span>
    </a>
  );
}
