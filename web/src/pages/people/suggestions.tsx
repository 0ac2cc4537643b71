import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import type { MergeSuggestion } from '../../types';
import { FaceCrop } from './face-crop';
import { personName } from './faces';

/*
 * The People page's merge suggestions (`GET /people/suggestions`): pairs of people whose faces are close. "Same
 * person" merges the second into the first (`POST /people/{id}/merge`); "Not the same" dismisses the pair for good
 * (`POST /people/suggestions/dismiss`). A page examines a few of the people: "Look further" reads the next.
 */

const keyOf = (suggestion: MergeSuggestion) => suggestion.people.map((person) => person.personId).join('+');

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; cursor?: string };

export function MergeSuggestions(props: { onMerged: () => Promise<void> }) {
  const [items, setItems] = useState<MergeSuggestion[]>([]);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();

  const load = async (cursor: string | undefined, signal?: AbortSignal) => {
    setLoaded({ state: 'loading' });
    try {
      const page = await api.mergeSuggestions(cursor === undefined ? {} : { cursor }, signal);
      setItems((now) => {
        const seen = new Set(now.map(keyOf));
        return [...now, ...page.items.filter((item) => !seen.has(keyOf(item)))];
      });
      setLoaded({ state: 'ready', cursor: page.cursor });
    } catch (error) {
      if (!isAbort(error)) setLoaded({ state: 'error', message: errorMessage(error) });
    }
  };
  useEffect(() => {
    const controller = new AbortController();
    load(undefined, controller.signal);
    return () => controller.abort();
  }, []);

  const settle = async (suggestion: MergeSuggestion, merge: boolean) => {
    const [first, second] = suggestion.people;
    if (!first || !second) return;
    setProblem(undefined);
    setDone(undefined);
    const names = `${personName(first.name)} and ${personName(second.name)}`;
    try {
      if (merge) await api.mergePeople(first.personId, { personIds: [second.personId] });
      else await api.dismissSuggestion([first.personId, second.personId]);
      // Any other suggestion naming one of them is out of date now.
      const ids = new Set([first.personId, second.personId]);
      setItems((now) =>
        now.filter((item) => (merge ? !item.people.some((p) => ids.has(p.personId)) : item !== suggestion)),
      );
      setDone(merge ? `Merged ${names}.` : `${names} will not be suggested again.`);
      if (merge) await props.onMerged();
    } catch (error) {
      setProblem(`Could not ${merge ? 'merge' : 'dismiss'} ${names}: ${errorMessage(error)}`);
    }
  };

  const cursor = loaded.state === 'ready' ? loaded.cursor : undefined;
  if (loaded.state === 'ready' && items.length === 0 && cursor === undefined && !done) return null;
  return (
    <section class="suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">Same person?</h2>
      <p class="muted">People whose faces look alike. Merge them, or say they are not the same.</p>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {done && <p role="status">{done}</p>}
      {loaded.state === 'error' && (
        <p class="error" role="alert">
          Could not load suggestions: {loaded.message}
        </p>
      )}
      <ul class="suggestion-list" aria-label="Merge suggestions">
        {items.map((suggestion) => (
          <Suggestion key={keyOf(suggestion)} suggestion={suggestion} onSettle={settle} />
        ))}
      </ul>
      {loaded.state === 'loading' && <p class="muted">Looking for people who may be the same…</p>}
      {cursor !== undefined && (
        <button type="button" class="secondary" onClick={() => load(cursor)}>
          Look further
        </button>
      )}
    </section>
  );
}

function Suggestion(props: {
  suggestion: MergeSuggestion;
  onSettle: (s: MergeSuggestion, merge: boolean) => Promise<void>;
}) {
  const { suggestion } = props;
  const [busy, setBusy] = useState(false);
  const names = suggestion.people.map((person) => personName(person.name)).join(' and ');
  const act = (merge: boolean) => async () => {
    setBusy(true);
    try {
      await props.onSettle(suggestion, merge);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="suggestion" aria-label={names}>
      {suggestion.people.map((person) => (
        <span key={person.personId} class="suggestion-person">
          <FaceCrop src={person.cover.thumbnailUrl} box={person.cover.box} size={64} />
          {personName(person.name)}
        </span>
      ))}
      <span class="bulk-row">
        <button type="button" disabled={busy} aria-label={`Same person: merge ${names}`} onClick={act(true)}>
          Same person
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          aria-label={`Not the same: ${names}`}
          onClick={act(false)}
        >
          Not the same
        </button>
      </span>
    </li>
  );
}
