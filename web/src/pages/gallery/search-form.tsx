import { useLocation } from 'preact-iso';
import { FILTER_NAMES, type FilterName, SEARCH_FILTERS, type SearchFilter } from '../../../../lambdas/search/filters';
import { appPath } from '../../config';

/*
 * One search box (`q`: words across every field of an image) and a field for every other filter of the search API,
 * each made from the filter's description by its kind; submitting puts them in the app's URL.
 */

/**
 * Every filter but the box's own gets a field, but an opaque id (`person`): no one types one, a link sets it (a
 * person's page), and the form keeps it as it searches.
 */
const IDS = FILTER_NAMES.filter((name) => SEARCH_FILTERS[name].kind === 'id');
/** `favourite=true` is a toggle in the search row, always in sight, not a field among the filters. */
const FAVOURITE = 'favourite';
const FIELDS = FILTER_NAMES.filter((name) => name !== 'q' && name !== FAVOURITE && !IDS.includes(name));

export function SearchForm({ filters }: { filters: URLSearchParams }) {
  const { route } = useLocation();
  const value = (name: string) =>
    SEARCH_FILTERS[name as FilterName]?.kind === 'names' ? filters.getAll(name).join(', ') : (filters.get(name) ?? '');
  const dateValue = (name: string) => value(name).slice(0, 10);
  const open = FIELDS.some((name) => filters.has(name));

  const favourites = filters.get(FAVOURITE) === 'true';

  /** The search the form's fields ask for, with or without favourites only. */
  const searchFor = (element: HTMLFormElement, onlyFavourites: boolean) => {
    const form = new FormData(element);
    const query = new URLSearchParams();
    const words = String(form.get('q') ?? '').trim();
    if (words) query.set('q', words);
    for (const name of [...IDS, ...FIELDS]) {
      const field = String(form.get(name) ?? '').trim();
      if (!field) continue;
      // Names are separated by commas, each a value of its own; words are one value, split by the API.
      if (SEARCH_FILTERS[name].kind === 'names') {
        for (const part of field.split(',')) if (part.trim()) query.append(name, part.trim());
      } else query.set(name, field);
    }
    if (onlyFavourites) query.set(FAVOURITE, 'true');
    const text = query.toString();
    route(text ? `${appPath()}?${text}` : appPath());
  };
  const submit = (event: Event) => {
    event.preventDefault();
    searchFor(event.currentTarget as HTMLFormElement, favourites);
  };

  return (
    <search>
      <form class="search" aria-label="Search images" onSubmit={submit}>
        <div class="search-row">
          <label class="field grow">
            <span>Search</span>
            <input
              type="search"
              name="q"
              defaultValue={value('q')}
              placeholder="cat, receipt, a name, a tag…"
              title={SEARCH_FILTERS.q.description}
            />
          </label>
          <button type="submit">Search</button>
          <button
            type="button"
            class={`secondary star${favourites ? ' on' : ''}`}
            aria-pressed={favourites}
            title="Only the photos you marked a favourite"
            onClick={(event) => {
              const form = event.currentTarget.form;
              if (form) searchFor(form, !favourites);
            }}
          >
            <span aria-hidden="true">{favourites ? '★' : '☆'}</span> Favourites
          </button>
          <button type="button" class="secondary" onClick={() => route(appPath())}>
            Clear
          </button>
        </div>
        {IDS.filter((name) => filters.has(name)).map((name) => (
          <input key={name} type="hidden" name={name} value={value(name)} />
        ))}
        <details open={open}>
          <summary>Filters</summary>
          <div class="filters">
            {FIELDS.map((name) => (
              <Field key={name} name={name} filter={SEARCH_FILTERS[name]} value={value(name)} date={dateValue(name)} />
            ))}
          </div>
        </details>
      </form>
    </search>
  );
}

/** One filter's field, by its kind: a choice or a flag as a list, a count as a number, a date, a name as text. */
function Field({ name, filter, value, date }: { name: string; filter: SearchFilter; value: string; date: string }) {
  if (filter.kind === 'choice' || filter.kind === 'flag') {
    const options = filter.kind === 'flag' ? ['true', 'false'] : (filter.values ?? []);
    return <Select name={name} label={filter.title} value={value} options={options} names={filter.names} />;
  }
  if (filter.kind === 'count') {
    return (
      <label class="field">
        <span>{filter.title}</span>
        <input type="number" name={name} min={0} max={filter.max} inputMode="numeric" defaultValue={value} />
      </label>
    );
  }
  if (filter.kind === 'date') {
    return (
      <label class="field">
        <span>{filter.title}</span>
        <input type="date" name={name} defaultValue={date} />
      </label>
    );
  }
  return (
    <label class="field">
      <span>{filter.title}</span>
      <input type="text" name={name} defaultValue={value} autocomplete="off" />
    </label>
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
