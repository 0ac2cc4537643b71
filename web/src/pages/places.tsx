import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { mergePlacePages } from '../../../lambdas/places/place-pages';
import { api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import { thumbnailAtLeast } from '../format';
import { PlacesAttribution } from '../places-attribution';
import { useTitle } from '../title';
import type { PlaceCountry, PlaceGroup, PlacesPage } from '../types';
import { placeLines, placeSearch, sameName } from './places/place-links';
import type { MapCountry, WorldMap as WorldMapType } from './places/world-map';

/*
 * The Places view: the owner's places as `GET /places` counts them, on a world map and as a card per country (a
 * cover photo, its count, its regions and towns), each a link to the gallery searching for it by name. Every page
 * is read first: a country a page ends in goes on at the next page's start, so the pages are merged before they are
 * shown. The map (and the atlas it is drawn from) is a chunk of its own, loaded by this view only.
 */

const photos = (count: number) => `${count} photo${count === 1 ? '' : 's'}`;
const galleryFor = (levels: readonly PlaceGroup[]) => `${appPath()}?${placeSearch(levels)}`;

export function Places() {
  useTitle('Places');
  const { route } = useLocation();
  const [state, setState] = useState<{ countries?: PlaceCountry[]; problem?: string }>({});
  const [WorldMap, setWorldMap] = useState<typeof WorldMapType>();
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
  useEffect(() => {
    let stopped = false;
    import('./places/world-map')
      .then((module) => {
        if (!stopped) setWorldMap(() => module.WorldMap);
      })
      .catch(() => {
        // Without its chunk (a deployment replaced meanwhile) the view is still the list below.
      });
    return () => {
      stopped = true;
    };
  }, []);
  const { countries, problem } = state;
  const onMap: MapCountry[] = (countries ?? []).map((country) => ({
    code: country.code,
    name: country.name,
    count: country.count,
    href: galleryFor([country]),
  }));
  return (
    <section class="places-view" aria-labelledby="places-title">
      <h1 id="places-title">Places</h1>
      {problem && <p role="alert">{problem}</p>}
      {!countries && !problem && <p role="status">Loading places…</p>}
      {countries?.length === 0 && <p>No photo has a place yet: photos with GPS get one as they are analysed.</p>}
      {countries && countries.length > 0 && (
        <>
          {WorldMap ? <WorldMap countries={onMap} onOpen={(href) => route(href)} /> : <MapSpace />}
          <ul class="place-cards" aria-label="Places">
            {countries.map((country) => (
              <CountryCard key={country.place.join('/')} country={country} />
            ))}
          </ul>
          <PlacesAttribution />
        </>
      )}
    </section>
  );
}

/** The map's room while its chunk loads, so the cards do not jump down when it comes. */
const MapSpace: FunctionComponent = () => <div class="world-map placeholder" aria-hidden="true" />;

/** A country: its cover photo, its name and count, and its regions and towns, each a link to its photos. */
function CountryCard({ country }: { country: PlaceCountry }) {
  const lines = placeLines(country);
  return (
    <li class="place-card">
      <Cover levels={[country]} />
      <h2 class="place-name">
        <a href={galleryFor([country])}>
          {country.name} <span class="muted">{photos(country.count)}</span>
        </a>
      </h2>
      {lines.length > 0 && (
        <ul class="place-lines" aria-label={`Places in ${country.name}`}>
          {lines.map(({ group, levels, town }) => {
            const region = levels[1];
            const sameAsRegion = town && region !== undefined && sameName(group.name, region.name);
            return (
              <li key={group.place.join('/')} class={town ? 'town' : 'region'}>
                <a href={galleryFor(levels)}>
                  {group.name}
                  {sameAsRegion ? ' (town)' : ''} <span class="muted">{photos(group.count)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

/**
 * A place's cover: the thumbnail of the photo `GET /places` names for it (`cover.thumbnailUrl`: no request of its
 * own); without one (none known yet), the newest photo its search finds. An empty block while that loads.
 */
function Cover({ levels }: { levels: PlaceGroup[] }) {
  const linked = levels.at(-1)?.cover?.thumbnailUrl;
  const [found, setFound] = useState<string>();
  const search = placeSearch(levels);
  useEffect(() => {
    if (linked) return;
    const controller = new AbortController();
    const query = new URLSearchParams(search);
    query.set('limit', '1');
    api
      .listImages(query, controller.signal)
      .then((page) => setFound(thumbnailAtLeast(page.items[0]?.thumbnails ?? {}, 512)))
      .catch(() => {
        // No cover: the card is still its name and links.
      });
    return () => controller.abort();
  }, [search, linked]);
  const src = linked ?? found;
  return <span class="place-cover">{src && <img src={src} alt="" loading="lazy" decoding="async" />}</span>;
}
