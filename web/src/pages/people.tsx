import { useState } from 'preact/hooks';
import { api } from '../api';
import { appPath } from '../config';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { useTitle } from '../title';
import type { Person } from '../types';
import { FaceCrop } from './people/face-crop';
import { countOf, personName } from './people/faces';
import { MergeBar } from './people/merge';
import { MergeSuggestions } from './people/suggestions';

/*
 * The People page (face grouping on): the owner's people, most faces first as the API lists them, each its cover
 * face, name and count, linking to its page; select two or more to merge them into one, or settle the merge
 * suggestions above them.
 */

const PAGE_SIZE = '24';
const COVER_PX = 120;
const idOf = (person: Person) => person.personId;
const load = (cursor: string | undefined, signal?: AbortSignal) => api.listPeople({ limit: PAGE_SIZE, cursor }, signal);

export function People() {
  useTitle('People');
  const list = usePaged('people', load, idOf);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const select = (id: string, on: boolean) =>
    setSelected((now) => {
      const next = new Set(now);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const merged = async () => {
    setSelected(new Set());
    await list.reload();
  };

  return (
    <section>
      <h1>People</h1>
      <p class="muted">Faces found in your photos, grouped by likeness. Name a person on their page.</p>
      <MergeSuggestions onMerged={merged} />
      <ListStatus
        list={list}
        empty="No people yet: they appear as photos with faces are processed."
        counted={(count) => countOf(count, 'person', 'people')}
      />
      {list.items.length > 0 && (
        <MergeBar
          people={list.items}
          selected={selected}
          onSelect={(ids) => setSelected(new Set(ids))}
          onMerged={merged}
        />
      )}
      <ul class="people" aria-label="People">
        {list.items.map((person) => (
          <PersonCard
            key={person.personId}
            person={person}
            selected={selected.has(person.personId)}
            onSelect={select}
          />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}

function PersonCard(props: { person: Person; selected: boolean; onSelect: (id: string, on: boolean) => void }) {
  const { person } = props;
  const name = personName(person.name);
  const count = countOf(person.faceCount, 'face');
  return (
    <li class={`person${props.selected ? ' selected' : ''}`} data-person-id={person.personId}>
      <a class="person-link" href={appPath(`people/${person.personId}`)} aria-label={`${name}, ${count}`}>
        <FaceCrop src={person.cover.thumbnailUrl} box={person.cover.box} size={COVER_PX} />
        <span class={person.name ? 'name' : 'name unnamed'}>{name}</span>
        <span class="muted person-count">{count}</span>
      </a>
      <label class="pick">
        <input
          type="checkbox"
          checked={props.selected}
          onChange={(event) => props.onSelect(person.personId, event.currentTarget.checked)}
        />
        <span class="visually-hidden">Select {name}</span>
      </label>
    </li>
  );
}
