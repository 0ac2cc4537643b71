import { geoArea, geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson';
import { useMemo } from 'preact/hooks';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-110m.json';
import { countryOfShape } from './country-keys';

/*
 * The Places view's world map, drawn offline: Natural Earth's countries at 1:110m (world-atlas, bundled into this
 * chunk, which the view loads on its own: the gallery's first load does not carry it), projected with d3-geo into
 * an SVG. Each country with photos is filled and marked (a dot on its largest part, larger for more photos), and is
 * a link to its photos (the dot too, for the pointer). Nothing is fetched: no tiles, no server.
 */

const WIDTH = 960;
const HEIGHT = 500;

export interface MapCountry {
  /** ISO 3166-1 alpha-2, as `GET /places` gives it. */
  code?: string;
  name: string;
  count: number;
  /** The gallery's search for its photos. */
  href: string;
}

interface Shape {
  key: string;
  code?: string;
  name: string;
  d: string;
  /** Where its marker goes: the centre of its largest part. */
  centre: [number, number] | undefined;
}

/** The globe's outline and every country of the atlas as SVG paths, once: the projection never changes. */
let world: { sphere: string; shapes: Shape[] } | undefined;
function worldShapes(): { sphere: string; shapes: Shape[] } {
  if (world) return world;
  const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const countries = feature(topology, topology.objects.countries).features;
  const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: 'Sphere' });
  const path = geoPath(projection);
  const shapes = countries.map((country, index): Shape => {
    const name = country.properties?.name ?? '';
    const largest = largestPart(country);
    const centre = largest ? path.centroid(largest) : undefined;
    return {
      key: String(country.id ?? `${name}-${index}`),
      code: countryOfShape(country.id, name),
      name,
      d: path(country) ?? '',
      centre: centre && Number.isFinite(centre[0]) ? centre : undefined,
    };
  });
  world = { sphere: path({ type: 'Sphere' }) ?? '', shapes };
  return world;
}

/** A country's largest polygon (France without Guiana, the United States without Alaska): where a marker reads. */
function largestPart(country: Feature<Geometry | null>): Feature<Polygon> | undefined {
  const geometry = country.geometry;
  if (!geometry) return undefined;
  if (geometry.type === 'Polygon') return { type: 'Feature', properties: {}, geometry };
  if (geometry.type !== 'MultiPolygon') return undefined;
  const parts = (geometry as MultiPolygon).coordinates.map(
    (coordinates): Feature<Polygon> => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Polygon', coordinates },
    }),
  );
  return parts.reduce((best, part) => (geoArea(part) > geoArea(best) ? part : best), parts[0] as Feature<Polygon>);
}

const photos = (count: number) => `${count} photo${count === 1 ? '' : 's'}`;

export function WorldMap({ countries, onOpen }: { countries: readonly MapCountry[]; onOpen: (href: string) => void }) {
  const byCode = useMemo(() => new Map(countries.flatMap((c) => (c.code ? [[c.code, c] as const] : []))), [countries]);
  const { sphere, shapes: all } = worldShapes();
  const drawn = new Set(all.flatMap((shape) => (shape.code && byCode.has(shape.code) ? [shape.code] : [])));
  const missing = countries.filter((country) => !country.code || !drawn.has(country.code));
  const most = Math.max(1, ...countries.map((country) => country.count));
  const label =
    countries.length === 0
      ? 'World map'
      : `World map: photos taken in ${countries.map((country) => `${country.name} (${photos(country.count)})`).join(', ')}`;
  const open = (href: string) => (event: MouseEvent) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(href);
  };
  const visitedShapes = all.filter((shape) => shape.code && byCode.has(shape.code));
  return (
    <figure class="world-map" aria-label={label}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <title>World map</title>
        <path class="sphere" d={sphere} />
        {all.map((shape) =>
          shape.code && byCode.has(shape.code) ? null : (
            <path key={shape.key} class="country" data-code={shape.code} d={shape.d} />
          ),
        )}
        {visitedShapes.map((shape) => {
          const visited = byCode.get(shape.code as string) as MapCountry;
          // One marker a country, on the first of its shapes that has a centre (Cyprus's, not N. Cyprus's).
          const marked = visitedShapes.find((other) => other.code === shape.code && other.centre) === shape;
          return (
            <a
              key={shape.key}
              href={visited.href}
              aria-label={`${visited.name}, ${photos(visited.count)}`}
              onClick={open(visited.href)}
            >
              <title>{`${visited.name}: ${photos(visited.count)}`}</title>
              <path class="country visited" data-code={shape.code} d={shape.d} />
              {marked && shape.centre && (
                <circle
                  class="marker"
                  data-code={shape.code}
                  cx={shape.centre[0]}
                  cy={shape.centre[1]}
                  r={4 + 6 * Math.sqrt(visited.count / most)}
                />
              )}
            </a>
          );
        })}
      </svg>
      {missing.length > 0 && (
        <figcaption class="muted">
          Too small for this map: {missing.map((country) => `${country.name} (${photos(country.count)})`).join(', ')}
        </figcaption>
      )}
    </figure>
  );
}
