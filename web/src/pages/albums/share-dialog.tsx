import { useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
import { DialogFormEnd } from '../../dialog-form-end';
import type { CreatedShare } from '../../types';
import { CopyUrl } from '../detail/copy-url';
import { EXPIRY_CHOICES, expiryAt } from './words';

/*
 * Share an album or one photo: a button that opens a dialog asking when the link expires, an optional password and
 * whether the originals may be downloaded; `POST .../shares` makes the link, shown with a Copy button this once (the
 * API keeps no token: nothing can show it again). Whoever has it sees renditions only, without GPS or other metadata;
 * the Shared links page lists, counts and revokes links, without their URLs.
 */

/** The API's shortest password (share-schemas.ts). */
const MIN_PASSWORD = 8;

export function ShareButton({ target, what }: { target: { kind: 'album' | 'image'; id: string }; what: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [days, setDays] = useState(7);
  const [password, setPassword] = useState('');
  const [allowDownload, setAllowDownload] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [made, setMade] = useState<CreatedShare>();
  const open = () => {
    setMade(undefined);
    setProblem(undefined);
    setPassword('');
    setAllowDownload(false);
    dialog.current?.showModal();
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (password && password.length < MIN_PASSWORD) {
      setProblem(`A password has at least ${MIN_PASSWORD} characters.`);
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const expiresAt = expiryAt(days);
      setMade(
        await api.createShare(target, {
          ...(expiresAt && { expiresAt }),
          ...(password && { password }),
          ...(allowDownload && { allowDownload: true }),
        }),
      );
    } catch (error) {
      setProblem(`No link made: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="secondary" onClick={open}>
        Share…
      </button>
      <dialog ref={dialog} aria-labelledby="share-title" class="share-dialog">
        <h2 id="share-title">Share {what}</h2>
        {made ? (
          <div class="stack">
            <CopyUrl id="share-link" label="Link" url={made.url} />
            <p class="share-once" role="note">
              <strong>Copy the link now: it is shown only this once.</strong> It is not kept, so Shared links lists it
              without it; if it is lost, revoke it there and make another.
            </p>
            <p class="muted">
              Whoever has the link sees the photos (not their place or other details)
              {made.share.protected ? ' once they give the password' : ''}. Revoke it in{' '}
              <a href={appPath('shares')}>Shared links</a>.
            </p>
            <div class="dialog-buttons">
              <button type="button" onClick={() => dialog.current?.close()}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <form class="stack" onSubmit={submit} noValidate aria-label="Share link">
            <label for="share-expiry">Link expires</label>
            <select
              id="share-expiry"
              value={String(days)}
              onChange={(event) => setDays(Number(event.currentTarget.value))}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.days} value={String(choice.days)}>
                  {choice.label}
                </option>
              ))}
            </select>
            <label for="share-password-new">
              Password <span class="muted">(optional, at least {MIN_PASSWORD} characters)</span>
            </label>
            <input
              id="share-password-new"
              type="password"
              autocomplete="new-password"
              value={password}
              aria-invalid={problem ? 'true' : undefined}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
            <label>
              <input
                type="checkbox"
                checked={allowDownload}
                onChange={(event) => setAllowDownload(event.currentTarget.checked)}
              />{' '}
              Allow downloading the originals <span class="muted">(with their metadata)</span>
            </label>
            <DialogFormEnd dialog={dialog} problem={problem} busy={busy}>
              Create link
            </DialogFormEnd>
          </form>
        )}
      </dialog>
    </>
  );
}
