import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError, api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import { ConfirmedDelete } from '../confirmed-delete';
import { useTitle } from '../title';
import type { Person as PersonAnswer } from '../types';
import { NotFound } from './not-found';
import { FaceCrop } from './people/face-crop';
import { countOf, personName } from './people/faces';
import { PersonPhotos } from './people/photos';
import { RenameForm } from './people/rename';

/*
 * A person's page: the name (renamed here), the face count and the photos they are in (`GET /images?person=`), each
 * with "Not this person"; the person hidden from the People page or shown again, or deleted (its photos stay).
 */

type Loaded =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | { state: 'ready'; person: PersonAnswer };

export function Person() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? '';
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api
      .getPerson(id, controller.signal)
      .then((person) => {
        // A merged person answers as the one it was merged into: show that one at its own address.
        if (person.personId !== id) route(appPath(`people/${person.personId}`), true);
        else setLoaded({ state: 'ready', person });
      })
      .catch((error) => {
        if (isAbort(error)) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400))
          setLoaded({ state: 'missing' });
        else setLoaded({ state: 'error', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [id, version]);

  useTitle(loaded.state === 'ready' ? personName(loaded.person.name) : loaded.state === 'missing' ? 'Not found' : '');
  if (loaded.state === 'missing') return <NotFound what="There is no person with this id (or it is not yours)." />;
  if (loaded.state === 'loading') return <p class="muted">Loading…</p>;
  if (loaded.state === 'error') {
    return (
      <section>
        <h1>Person</h1>
        <p class="error" role="alert">
          {loaded.message}
        </p>
        <button type="button" onClick={() => setVersion((v) => v + 1)}>
          Try again
        </button>
      </section>
    );
  }
  const { person } = loaded;
  return (
    <article class="person-page" data-person-id={person.personId}>
      <p class="back">
        <a href={appPath('people')}>← People</a>
      </p>
      <header class="person-head">
        <FaceCrop src={person.cover.thumbnailUrl} box={person.cover.box} size={96} />
        <div>
          <h1>{personName(person.name)}</h1>
          <p class="muted">{countOf(person.faceCount, 'face')}</p>
        </div>
      </header>
      <RenameForm
        key={person.personId}
        person={person}
        onRenamed={(renamed) => setLoaded({ state: 'ready', person: renamed })}
      />
      <p>
        <a href={`${appPath()}?person=${encodeURIComponent(person.personId)}`}>Search their photos</a>
      </p>
      <PersonActions person={person} onChanged={(changed) => setLoaded({ state: 'ready', person: changed })} />
      <PersonPhotos
        personId={person.personId}
        onRemoved={(removed) => {
          // Its last face gone, the person is too: back to the People page.
          if (removed.person === null) route(appPath('people'), true);
          else setLoaded({ state: 'ready', person: removed.person });
        }}
      />
    </article>
  );
}

/** Hide the person from the People page (or show it again), or delete it: its photos stay, its faces unassigned. */
function PersonActions(props: { person: PersonAnswer; onChanged: (person: PersonAnswer) => void }) {
  const { person } = props;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const toggle = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      props.onChanged(await api.renamePerson(person.personId, { hidden: !person.hidden }));
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="person-actions" aria-label="Person actions">
      {person.hidden && <p class="muted">Hidden from the People page.</p>}
      <div class="bulk-row">
        <button type="button" class="secondary" disabled={busy} aria-busy={busy} onClick={toggle}>
          {person.hidden ? 'Show on the People page' : 'Hide'}
        </button>
        <ConfirmedDelete
          id="delete-person"
          title={`Delete ${personName(person.name)}?`}
          text="Their photos stay. Their faces are no longer anyone’s, and are never grouped into this person again."
          confirm="Delete person"
          remove={() => api.deletePerson(person.personId)}
          then={appPath('people')}
          replace
        />
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
