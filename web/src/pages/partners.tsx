import { useEffect, useState } from 'preact/hooks';
import type { MAX_GRANT_ALBUMS } from '../../../lambdas/partners/functions/partners-contract';
import { api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import { ConfirmedDelete } from '../confirmed-delete';
import { formatDate } from '../format';
import { useTitle } from '../title';
import type { Album, PartnerGrant, PartnerList } from '../types';
import { scopeInWords, sharedWithMePath } from './partners/words';

/*
 * Partners (`/app/partners`, docs/api.md "Partners"): the grants the caller made, each with what it covers and since
 * when, and Revoke behind a confirmation (`DELETE /partners/{partner}`: the partner's next read is a 404); a form to
 * grant another owner their whole library, the photos from a date on, or chosen albums (`POST /partners`; again for
 * the same partner replaces the grant); and the grants made to the caller, each a link to its Shared with me page.
 */

/** The API's bound on a grant's albums, typed as its constant so a change there fails `tsc -p web`. */
const MAX_ALBUMS: typeof MAX_GRANT_ALBUMS = 20;

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; list: PartnerList };

export function Partners() {
  useTitle('Partners');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const [albums, setAlbums] = useState<Album[]>([]);
  const [said, setSaid] = useState<string>();
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    const controller = new AbortController();
    api
      .listPartners(controller.signal)
      .then((list) => setLoaded({ state: 'ready', list }))
      .catch((error) => {
        if (!isAbort(error)) setLoaded({ state: 'error', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [version]);
  useEffect(() => {
    // The picker's albums: the caller's manual ones (a grant takes no smart album), the first hundred.
    const controller = new AbortController();
    api
      .listAlbums({ limit: '100' }, controller.signal)
      .then((page) => setAlbums(page.items.filter((album) => album.kind === 'manual')))
      .catch(() => setAlbums([]));
    return () => controller.abort();
  }, []);
  const names = new Map(albums.map((album) => [album.albumId, album.name]));

  return (
    <section aria-labelledby="partners-title">
      <h1 id="partners-title">Partners</h1>
      <p class="muted">
        Share your library with another owner of this deployment: they see the photos you choose, read-only, on their
        Shared with me page. Photos in the trash, archived or locked are never shared.
      </p>
      {said && <p role="status">{said}</p>}
      {loaded.state === 'loading' && <p class="muted">Loading…</p>}
      {loaded.state === 'error' && (
        <p class="error" role="alert">
          {loaded.message}
        </p>
      )}
      <section aria-labelledby="granted-title">
        <h2 id="granted-title">Shared by me</h2>
        {loaded.state === 'ready' &&
          (loaded.list.granted.length === 0 ? (
            <p class="muted">You share your library with no one.</p>
          ) : (
            <ul class="trash-list" aria-label="Shared by me">
              {loaded.list.granted.map((grant, index) => (
                <li key={grant.partner} class="trash-row partner-row" data-partner={grant.partner}>
                  <div class="trash-text">
                    <span class="trash-name">{grant.partner}</span>
                    <p class="muted">
                      {scopeInWords(grant, names)}; since {formatDate(grant.createdAt)}
                    </p>
                  </div>
                  <ConfirmedDelete
                    id={`revoke-${index}`}
                    label={`Revoke ${grant.partner}`}
                    title={`Stop sharing with ${grant.partner}?`}
                    text={`${grant.partner} no longer sees any of your photos, at once. You can share again later.`}
                    confirm="Revoke"
                    remove={async () => {
                      await api.revokePartner(grant.partner);
                      setSaid(`No longer shared with ${grant.partner}.`);
                      reload();
                    }}
                    then={appPath('partners')}
                    replace
                  />
                </li>
              ))}
            </ul>
          ))}
        <GrantForm
          albums={albums}
          onGranted={(grant) => {
            setSaid(`Shared with ${grant.partner}: ${scopeInWords(grant, names)}.`);
            reload();
          }}
        />
      </section>
      <section aria-labelledby="received-title">
        <h2 id="received-title">Shared with me</h2>
        {loaded.state === 'ready' &&
          (loaded.list.received.length === 0 ? (
            <p class="muted">No one shares their library with you.</p>
          ) : (
            <ul class="trash-list" aria-label="Shared with me">
              {loaded.list.received.map((grant) => (
                <li key={grant.grantor} class="trash-row partner-row" data-grantor={grant.grantor}>
                  <div class="trash-text">
                    <a class="trash-name" href={sharedWithMePath(grant.grantor)}>
                      {grant.grantor}
                    </a>
                    <p class="muted">
                      {scopeInWords(grant)}; since {formatDate(grant.createdAt)}
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          ))}
        {loaded.state === 'ready' && loaded.list.received.length > 1 && (
          <p>
            <a href={sharedWithMePath()}>Every partner’s photos together</a>
          </p>
        )}
      </section>
    </section>
  );
}

function GrantForm({ albums, onGranted }: { albums: Album[]; onGranted: (grant: PartnerGrant) => void }) {
  const [partner, setPartner] = useState('');
  const [from, setFrom] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const tooMany = chosen.size > MAX_ALBUMS;
  const choose = (id: string, on: boolean) =>
    setChosen((now) => {
      const next = new Set(now);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <form
      class="grant-form"
      aria-label="Share my library"
      onSubmit={async (event) => {
        event.preventDefault();
        const name = partner.trim();
        if (!name || tooMany) return;
        setBusy(true);
        setProblem(undefined);
        try {
          const grant = await api.grantPartner({
            partner: name,
            ...(from ? { from } : {}),
            ...(chosen.size > 0 ? { albums: [...chosen] } : {}),
          });
          setPartner('');
          setFrom('');
          setChosen(new Set());
          onGranted(grant);
        } catch (error) {
          setProblem(errorMessage(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>Share my library</h3>
      <p class="field">
        <label for="grant-partner">Partner’s owner id</label>
        <input
          id="grant-partner"
          type="text"
          required
          autocomplete="off"
          value={partner}
          aria-describedby="grant-partner-hint"
          onInput={(event) => setPartner(event.currentTarget.value)}
        />
        <span id="grant-partner-hint" class="muted">
          As the API names them (a user’s id, an API client’s name). Sharing again with them replaces what they see.
        </span>
      </p>
      <p class="field">
        <label for="grant-from">Only photos taken from (optional)</label>
        <input id="grant-from" type="date" value={from} onInput={(event) => setFrom(event.currentTarget.value)} />
      </p>
      {albums.length > 0 && (
        <fieldset class="grant-albums">
          <legend>Only these albums (optional; none: every album and every photo)</legend>
          {albums.map((album) => (
            <label key={album.albumId} class="check">
              <input
                type="checkbox"
                checked={chosen.has(album.albumId)}
                onChange={(event) => choose(album.albumId, event.currentTarget.checked)}
              />{' '}
              {album.name}
            </label>
          ))}
          {tooMany && (
            <p class="error" role="alert">
              A grant takes at most {MAX_ALBUMS} albums: {chosen.size} are chosen.
            </p>
          )}
        </fieldset>
      )}
      <button type="submit" disabled={busy || tooMany || partner.trim() === ''}>
        Share
      </button>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
