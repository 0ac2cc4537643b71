import { useLocation } from 'preact-iso';
import { appPath } from '../../config';
import { STATUSES } from '../../types';

import { COLORS, FILTERS, FORMATS, ORIENTATIONS, type SearchIn } from './filters';

/* The search box and every filter of the search API; submitting puts them in the app's URL. */

export function SearchForm({ filters }: { filters: URLSearchParams }) {
  const { route } = useLocation();
  const initialIn: SearchIn = filters.has('text') ? 'text' : filters.has('object') ? 'object' : 'label';
  const initialText = initialIn === 'text' ? (filters.get('text') ?? '') : filters.getAll(initialIn).join(', ');
  const value = (name: string) => filters.get(name) ?? '';
  const dateValue = (name: string) => value(name).slice(0, 10);
  const open = FILTERS.some((name) => name !== 'label' && name !== 'object' && name !== 'text' && filters.has(name));

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const query = new URLSearchParams();
    const words = String(form.get('q') ?? '').trim();
    const where = String(form.get('in') ?? 'label') as SearchIn;
    if (words) {
      if (where === 'text') query.set('text', words);
      else
        for (const part of words.split(',')) {
          const name = part.trim();
          if (name) query.append(where, name);
        }
    }
    for (const name of FILTERS) {
      if (name === 'label' || name === 'object' || name === 'text') continue;
      const field = String(form.get(name) ?? '').trim();
      if (field) query.set(name, field);
    }
    const text = query.toString();
    route(text ? `${appPath()}?${text}` : appPath());
  };

  return (
    <search>
      <form class="search" aria-label="Search images" onSubmit={submit}>
        <div class="search-row">
          <label class="field grow">
            <span>Search</span>
            <input type="search" name="q" defaultValue={initialText} placeholder="cat, kite…" />
          </label>
          <label class="field">
            <span>Search in</span>
            <select name="in">
              <option value="label" selected={initialIn === 'label'}>
                Labels
              </option>
              <option value="object" selected={initialIn === 'object'}>
                Objects
              </option>
              <option value="text" selected={initialIn === 'text'}>
                Text in the image
              </option>
            </select>
          </label>
          <button type="submit">Search</button>
          <button type="button" class="secondary" onClick={() => route(appPath())}>
            Clear
          </button>
        </div>
        <details open={open}>
          <summary>Filters</summary>
          <div class="filters">
            <Select name="color" label="Colour" value={value('color')} options={COLORS} />
            <Select name="status" label="Status" value={value('status')} options={STATUSES} />
            <label class="field">
              <span>At least this many faces</span>
              <input
                type="number"
                name="minFaces"
                min={0}
                max={100}
                inputMode="numeric"
                defaultValue={value('minFaces')}
              />
            </label>
            <Select
              name="flagged"
              label="Moderation"
              value={value('flagged')}
              options={['true', 'false']}
              names={{ true: 'Flagged', false: 'Not flagged' }}
            />
            <Select name="format" label="Format" value={value('format')} options={FORMATS} />
            <Select name="orientation" label="Orientation" value={value('orientation')} options={ORIENTATIONS} />
            <label class="field">
              <span>Taken on or after</span>
              <input type="date" name="takenAfter" defaultValue={dateValue('takenAfter')} />
            </label>
            <label class="field">
              <span>Taken on or before</span>
              <input type="date" name="takenBefore" defaultValue={dateValue('takenBefore')} />
            </label>
            <label class="field">
              <span>Camera</span>
              <input type="text" name="camera" defaultValue={value('camera')} autocomplete="off" />
            </label>
            <Select
              name="labelSource"
              label="Labels from"
              value={value('labelSource')}
              options={['model', 'user']}
              names={{ model: 'A model', user: 'A person' }}
            />
          </div>
        </details>
      </form>
    </search>
  );
}

function Select(props: {
  name: string;
  label: string;
  value: string;
  options: readonly string[];
  names?: Record<string, string>;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select name={props.name}>
        <option value="" selected={props.value === ''}>
          Any
        </option>
        {props.options.map((option) => (
          <option key={option} value={option} selected={option === props.value}>
            {props.names?.[option] ?? option}
          </option>
        ))}
      </select>
    </label>
  );
}
