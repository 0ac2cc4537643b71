import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import type { ImageDetail, NamedPlace, PlaceChange, PlaceSuggestion } from '../../types';
import { useSend } from './sending';

/*
 * The owner's corrections of an image's place (`PUT /images/{id}/place`, docs/places.md#corrections): the place by
 * name, a position (named now from the places data), no place at all, or back to the photo's GPS
 * (`DELETE /images/{id}/place`). Each replaces any earlier correction; the page reloads the record after it. The
 * names can be found as they are typed (`GET /places/suggestions`): one picked fills the fields with the places
 * data's names and codes, which are sent as they are.
 */

type Names = Omit<NamedPlace, 'source' | 'data'>;

const NAME_FIELDS = [
  ['locality', 'Locality'],
  ['area', 'Area'],
  ['region', 'Region'],
  ['country', 'Country'],
] as const;

export function PlaceCorrection({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const { busy, problem, run, setProblem } = useSend(onChange, errorMessage);
  const correct = (change: PlaceChange) => run(() => api.correctPlace(record.imageId, change));
  // A fresh form for each place and position the record has: the fields start from what it says now.
  const shown = JSON.stringify([record.place, record.position]);
  return (
    <details class="place-correction">
      <summary>Correct the place</summary>
      <NameForm key={`names-${shown}`} place={record.place} busy={busy} onSubmit={correct} onProblem={setProblem} />
      <PositionForm
        key={`position-${shown}`}
        position={record.position}
        busy={busy}
        onSubmit={correct}
        onProblem={setProblem}
      />
      <div class="place-actions">
        <button type="button" class="secondary" disabled={busy} onClick={() => correct({ cleared: true })}>
          No place for this photo
        </button>
        {record.placeCorrection && (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => run(() => api.resetPlace(record.imageId))}
          >
            Back to the photo’s GPS
          </button>
        )}
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </details>
  );
}

interface FormProps {
  busy: boolean;
  onSubmit: (change: PlaceChange) => Promise<void>;
  onProblem: (problem: string) => void;
}

/**
 * The names, country down; a level whose name is kept keeps its code (a region's ISO 3166-2, a town's id), from the
 * record or from the place picked among the suggestions.
 */
function NameForm({ place, busy, onSubmit, onProblem }: FormProps & { place: ImageDetail['place'] }) {
  const [picked, setPicked] = useState<PlaceSuggestion['place']>();
  const [fields, setFields] = useState({
    locality: place?.locality?.name ?? '',
    area: place?.area?.name ?? '',
    region: place?.region?.name ?? '',
    country: place?.country?.name ?? '',
    code: place?.country?.code ?? '',
  });
  const set = (field: keyof typeof fields) => (event: { currentTarget: HTMLInputElement }) =>
    setFields({ ...fields, [field]: event.currentTarget.value });
  const submit = () => {
    const names: Names = {};
    for (const [level] of NAME_FIELDS) {
      const name = fields[level].trim();
      if (!name) continue;
      const was = picked?.[level]?.name === name ? picked[level] : place?.[level];
      const code = level === 'country' ? fields.code.trim().toUpperCase() : was?.name === name ? was.code : undefined;
      names[level] = code ? { name, code } : { name };
    }
    if (!names.country && fields.code.trim()) return onProblem('Give the country’s name with its code.');
    if (Object.keys(names).length === 0) return onProblem('Name at least one of locality, area, region or country.');
    void onSubmit({ place: names });
  };
  return (
    <form
      class="place-form"
      aria-label="Name the place"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <FindPlace
        onPick={(found) => {
          setPicked(found.place);
          setFields({
            locality: found.place.locality?.name ?? '',
            area: found.place.area?.name ?? '',
            region: found.place.region?.name ?? '',
            country: found.place.country?.name ?? '',
            code: found.place.country?.code ?? '',
          });
        }}
      />
      {NAME_FIELDS.map(([field, label]) => (
        <label class="field" key={field}>
          {label}
          <input type="text" autocomplete="off" value={fields[field]} onInput={set(field)} />
        </label>
      ))}
      <label class="field">
        Country code
        <input type="text" autocomplete="off" placeholder="CH" value={fields.code} onInput={set('code')} />
      </label>
      <div class="place-form-actions">
        <button type="submit" disabled={busy}>
          Name the place
        </button>
      </div>
    </form>
  );
}

/**
 * "Find a place": a combobox over `GET /places/suggestions` as the name is typed (from two letters, a moment after
 * the last key), ↓ and ↑ through the places found, Enter (or a click) to pick one, Escape to close the list.
 */
function FindPlace({ onPick }: { onPick: (found: PlaceSuggestion) => void }) {
  const [typed, setTyped] = useState('');
  const [found, setFound] = useState<PlaceSuggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const q = typed.trim();
    setProblem(undefined);
    if (q.length < 2) {
      setFound([]);
      return undefined;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .suggestPlaces(q, controller.signal)
        .then((answer) => {
          setFound(answer.suggestions);
          setActive(-1);
          if (answer.suggestions.length === 0) setProblem(`No place of the places data is called “${q}”.`);
        })
        .catch((error) => {
          if (!isAbort(error)) setProblem(errorMessage(error));
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [typed]);
  const pick = (suggestion: PlaceSuggestion) => {
    onPick(suggestion);
    setFound([]);
    setTyped(suggestion.label);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (found.length === 0) return;
    if (event.key === 'ArrowDown') setActive((at) => (at + 1) % found.length);
    else if (event.key === 'ArrowUp') setActive((at) => (at <= 0 ? found.length - 1 : at - 1));
    else if (event.key === 'Enter' && found[active]) pick(found[active]);
    else if (event.key === 'Escape') setFound([]);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <div class="find-place">
      <label class="field">
        Find a place
        <input
          type="text"
          role="combobox"
          autocomplete="off"
          placeholder="Genève, USA, Kyoto…"
          aria-autocomplete="list"
          aria-expanded={found.length > 0}
          aria-controls="place-suggestions"
          aria-activedescendant={active >= 0 ? `place-suggestion-${active}` : undefined}
          value={typed}
          onInput={(event) => setTyped(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
      </label>
      {found.length > 0 && (
        <div id="place-suggestions" role="listbox" aria-label="Places found">
          {found.map((suggestion, index) => (
            <div
              key={suggestion.label}
              id={`place-suggestion-${index}`}
              role="option"
              tabIndex={-1}
              aria-selected={index === active}
              onMouseDown={(event) => {
                // Before the input's blur: the pick, not a lost focus.
                event.preventDefault();
                pick(suggestion);
              }}
            >
              {suggestion.label}
              <span class="muted"> {suggestion.kind === 'locality' ? 'town' : suggestion.kind}</span>
            </div>
          ))}
        </div>
      )}
      {problem && <p class="muted">{problem}</p>}
    </div>
  );
}

/** A latitude and longitude in degrees, named from the places data as the photo's GPS would be. */
function PositionForm({ position, busy, onSubmit, onProblem }: FormProps & { position: ImageDetail['position'] }) {
  const [latitude, setLatitude] = useState(position ? String(position.latitude) : '');
  const [longitude, setLongitude] = useState(position ? String(position.longitude) : '');
  const submit = () => {
    const lat = degrees(latitude, 90);
    const lon = degrees(longitude, 180);
    if (lat === undefined) return onProblem('The latitude is a number of degrees from -90 to 90 (47.5596).');
    if (lon === undefined) return onProblem('The longitude is a number of degrees from -180 to 180 (7.5886).');
    void onSubmit({ position: { latitude: lat, longitude: lon } });
  };
  return (
    <form
      class="place-form"
      aria-label="Set the position"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label class="field">
        Latitude
        <input
          type="number"
          step="any"
          min={-90}
          max={90}
          value={latitude}
          onInput={(event) => setLatitude(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        Longitude
        <input
          type="number"
          step="any"
          min={-180}
          max={180}
          value={longitude}
          onInput={(event) => setLongitude(event.currentTarget.value)}
        />
      </label>
      <div class="place-form-actions">
        <button type="submit" disabled={busy}>
          Set the position
        </button>
      </div>
    </form>
  );
}

/** The number typed, if it is one within ±bound. */
function degrees(text: string, bound: number): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) <= bound ? value : undefined;
}
