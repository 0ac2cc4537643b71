import { appPath } from '../../config';
import { PlacesAttribution } from '../../places-attribution';
import type { ImageDetail, NamedPlace } from '../../types';
import { type EditablePanelProps, Facts, Section } from './panels';
import { PlaceCorrection } from './place-correction';

/*
 * Where the photo was taken (docs/places.md): its place's names, country down, each a link to the gallery's search
 * for it; how they were given; the position, which only the record carries (its owner, admins and partners see it);
 * and the owner's corrections (place-correction.tsx), not offered on another owner's photo. Shown for a PROCESSED
 * image: the others have no place to correct.
 */

/** The levels of a place, largest first, as `PlaceNamesSchema` has them. */
const LEVELS = [
  ['country', 'Country'],
  ['region', 'Region'],
  ['area', 'Area'],
  ['locality', 'Locality'],
] as const;

const SOURCES: Record<NamedPlace['source'], string> = {
  gps: 'From the photo’s GPS',
  position: 'From a position set by hand',
  owner: 'Named by its owner',
};

export function PlacePanel({ record, onChange, readOnly = false }: EditablePanelProps) {
  const { place, position } = record;
  return (
    <Section title="Place">
      {place ? <PlaceNames place={place} /> : <p>No place{noPlaceReason(record)}.</p>}
      <Facts
        rows={[
          ['Source', place && SOURCES[place.source]],
          ['Position', position && `${position.latitude}, ${position.longitude}`],
        ]}
      />
      {position && (
        <p class="muted place-hint">Only the image’s owner, admins and partners it is shared with see its position.</p>
      )}
      {!readOnly && <PlaceCorrection record={record} onChange={onChange} />}
      {place && <PlacesAttribution />}
    </Section>
  );
}

/** Each level the place has, as a link to the photos taken there (narrowed by the levels above it). */
function PlaceNames({ place }: { place: NamedPlace }) {
  const values: string[] = [];
  const rows = LEVELS.flatMap(([level, term]) => {
    const named = place[level];
    if (!named) return [];
    // A country by its code where it has one, as the Places view names it (`place=ch`).
    values.push(level === 'country' && named.code ? named.code : named.name);
    const query = new URLSearchParams([...new Set(values)].map((value) => ['place', value]));
    const code = level !== 'locality' && named.code;
    return [{ term, name: named.name, code, href: `${appPath()}?${query}` }];
  });
  return (
    <dl class="facts-list" aria-label="Place names">
      {rows.reverse().map((row) => (
        <div key={row.term}>
          <dt>{row.term}</dt>
          <dd>
            <a href={row.href}>{row.name}</a>
            {row.code && <span class="muted"> ({row.code})</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Why there is none, where the record says. */
function noPlaceReason(record: ImageDetail): string {
  if (record.placeCorrection?.cleared) return ': its owner cleared it';
  if (record.position) return ': the places data names nothing at this position (the open sea)';
  return '';
}
