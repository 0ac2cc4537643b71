import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import { appPath } from '../config';
import { formatDate } from '../format';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { useTitle } from '../title';
import type { Share } from '../types';
import { shareStateInWords } from './albums/words';

/*
 * Shared links (`/app/shares`): the owner's links, newest first (`GET /shares`), each with what it shows (a photo's
 * by its file name and thumbnail, which the link's own page does not show: it says "Photo"), its state,
 * how often it was opened, its terms and Revoke (`DELETE /shares/{shareId}`: it stops opening at once; the row stays,
 * revoked). No URL: a link's is shown once, in the dialog that made it (the API keeps no token to show it again).
 */

const idOf = (share: Share) => share.shareId;
const load = (cursor: string | undefined, signal?: AbortSignal) => api.listShares({ cursor }, signal);

export function Shares() {
  useTitle('Shared links');
  const list = usePaged('shares', load, idOf);
  const [revoked, setRevoked] = useState<ReadonlyMap<string, string>>(new Map());
  return (
    <section>
      <p>
        <a href={appPath('albums')}>Albums</a>
      </p>
      <h1>Shared links</h1>
      <p class="muted">
        Links to your albums and photos that open without an account. Make one with Share… on an album’s or a photo’s
        page: its link is shown then, once, to copy; it is not kept, so it cannot be shown here. Lost it? Revoke it and
        make another.
      </p>
      <ListStatus list={list} empty="No links yet." counted={(count) => `${count} link${count === 1 ? '' : 's'}`} />
      <ul class="uploads" aria-label="Links">
        {list.items.map((share) => (
          <ShareRow
            key={share.shareId}
            share={
              revoked.has(share.shareId) ? { ...share, state: 'revoked', revokedAt: revoked.get(share.shareId) } : share
            }
            onRevoked={() => setRevoked((now) => new Map([...now, [share.shareId, new Date().toISOString()]]))}
          />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}

function ShareRow({ share, onRevoked }: { share: Share; onRevoked: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const what = share.kind === 'album' ? `Album “${share.title}”` : `Photo “${share.filename ?? share.title}”`;
  const target =
    share.kind === 'album' && share.albumId
      ? appPath(`albums/${share.albumId}`)
      : share.imageId
        ? appPath(`images/${share.imageId}`)
        : undefined;
  return (
    <li class="endpoint share-row" data-state={share.state} aria-label={what}>
      <div class="upload-head">
        {share.thumbnailUrl && (
          <img class="share-thumb" src={share.thumbnailUrl} alt="" loading="lazy" decoding="async" />
        )}
        {target ? <a href={target}>{what}</a> : <span>{what}</span>}
        <span class="share-state">{shareStateInWords(share, formatDate)}</span>
      </div>
      <p class="muted endpoint-line">
        {share.views} view{share.views === 1 ? '' : 's'} · {share.protected ? 'password' : 'no password'} ·{' '}
        {share.allowDownload ? 'originals may be downloaded' : 'no download'} · made {formatDate(share.createdAt)} · id{' '}
        <code>{share.shareId}</code>
      </p>
      {share.state === 'active' && (
        <div>
          <button
            type="button"
            class="danger small"
            disabled={busy}
            aria-busy={busy}
            aria-label={`Revoke the link to ${what}`}
            onClick={async () => {
              setBusy(true);
              setProblem(undefined);
              try {
                await api.revokeShare(share.shareId);
                onRevoked();
              } catch (error) {
                setProblem(`Not revoked: ${errorMessage(error)}`);
              } finally {
                setBusy(false);
              }
            }}
          >
            Revoke
          </button>
        </div>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}
