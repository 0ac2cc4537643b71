import { useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api';
import { appPath } from '../config';
import { displayName, formatDate } from '../format';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { RowThumb } from '../row-thumb';
import { useTitle } from '../title';
import type { ImageSummary } from '../types';
import { forgetUnlock, keepUnlock, rememberPin, type UnlockToken, useUnlock, waitInWords } from '../unlock';
import { BULK_PARALLEL } from './gallery/bulk-run';
import { MIN_PIN } from './locked/lock-dialog';
import { usePinSet } from './locked/pin-state';

/*
 * The locked folder (docs/api.md "The locked folder"): the PIN first (or one to set, when the API says there is
 * none: `GET /locked/pin`), then `GET /images?locked=true`
 * with the unlock token, each photo opening its page with it, and Unlock (out of the folder) for one or a selection.
 * The token is in memory only (unlock.ts): the page shuts again after a reload, a sign-out, or its `expiresAt`.
 */

const PAGE_SIZE = '50';
const idOf = (item: ImageSummary) => item.imageId;

export function Locked() {
  useTitle('Locked');
  const unlocked = useUnlock();
  return (
    <section aria-labelledby="locked-title">
      <h1 id="locked-title">Locked</h1>
      {unlocked ? <Folder key={unlocked.token} unlocked={unlocked} /> : <PinAsked />}
    </section>
  );
}

/** What a refused PIN means, in words. */
function refusalInWords(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    return `Too many wrong PINs: the locked folder is shut for now. Try again in ${waitInWords(error.retryAfter)}.`;
  }
  if (error instanceof ApiError && error.status === 403) {
    // "pin: not your PIN (2 wrong in a row; 3 more wrong and …)": the API's count, after our own sentence.
    const detail = /\((.*)\)/.exec(error.message)?.[1];
    return `That is not your PIN.${detail ? ` ${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` : ''}`;
  }
  return errorMessage(error);
}

/** The PIN's form once the API said whether there is one; should it not say, the PIN is asked (a 409 says none). */
function PinAsked() {
  const known = usePinSet();
  if (known.set === undefined && known.problem === undefined) return <p class="muted">Opening the locked folder…</p>;
  return <PinForm hasPin={known.set !== false} />;
}

/** Asks the PIN (`POST /locked/unlock`), or one to set when there is none (`PUT /locked/pin`). */
function PinForm({ hasPin }: { hasPin: boolean }) {
  const [setting, setSetting] = useState(!hasPin);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (pin.length < MIN_PIN) return setProblem(`The PIN has at least ${MIN_PIN} characters.`);
    setBusy(true);
    setProblem(undefined);
    try {
      if (setting) {
        await api.setPin({ pin });
        rememberPin();
      }
      keepUnlock(await api.unlock(pin));
      rememberPin();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && !setting) {
        setSetting(true);
        setProblem('There is no PIN yet: choose one.');
      } else if (error instanceof ApiError && error.status === 400 && /you have a PIN/i.test(error.message)) {
        rememberPin();
        setSetting(false);
        setProblem('You have a PIN already: type it to open the folder.');
      } else {
        setProblem(refusalInWords(error));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <p id="pin-help">
        {setting
          ? `Photos you lock are kept here, out of the timeline, albums, search and share links. Choose a PIN (${MIN_PIN} to 64 characters) to open the folder with.`
          : 'Your locked photos are shown after your PIN. The folder shuts again after a while, a reload or a sign-out.'}
      </p>
      <label for="pin">{setting ? 'New PIN' : 'PIN'}</label>
      <input
        id="pin"
        type="password"
        autocomplete={setting ? 'new-password' : 'current-password'}
        maxLength={64}
        value={pin}
        aria-describedby="pin-help"
        aria-invalid={problem ? 'true' : undefined}
        onInput={(event) => setPin(event.currentTarget.value)}
      />
      <button type="submit" disabled={busy} aria-busy={busy}>
        {setting ? 'Set the PIN and open' : 'Open'}
      </button>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** The folder, open until the token's `expiresAt`. */
function Folder({ unlocked }: { unlocked: UnlockToken }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const list = usePaged(
    `locked-${unlocked.token}`,
    (cursor, signal) => {
      const query = new URLSearchParams({ locked: 'true', limit: PAGE_SIZE });
      if (cursor) query.set('cursor', cursor);
      return api.listLocked(query, unlocked.token, signal).catch((error) => {
        // Shut meanwhile (a new PIN elsewhere): ask the PIN again.
        if (error instanceof ApiError && error.status === 403) forgetUnlock();
        throw error;
      });
    },
    idOf,
  );
  const items = list.items.filter((item) => !gone.has(item.imageId));
  const chosen = items.filter((item) => selected.has(item.imageId));

  const unlock = async (targets: ImageSummary[]) => {
    setBusy(true);
    setProblem(undefined);
    const moved: string[] = [];
    const failed: string[] = [];
    const waiting = [...targets];
    const worker = async () => {
      for (let item = waiting.shift(); item; item = waiting.shift()) {
        try {
          await api.setLocked(item.imageId, { locked: false });
          moved.push(item.imageId);
        } catch (error) {
          failed.push(`${displayName(item)}: ${errorMessage(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_PARALLEL, targets.length) }, worker));
    setGone((before) => new Set([...before, ...moved]));
    setSelected((before) => new Set([...before].filter((id) => !moved.includes(id))));
    const names = targets.filter((item) => moved.includes(item.imageId)).map(displayName);
    setDone(
      names.length === 1
        ? `${names[0]} is out of the locked folder: back in the gallery.`
        : `${names.length} photos are out of the locked folder: back in the gallery.`,
    );
    if (failed.length > 0) setProblem(failed.join('; '));
    setBusy(false);
  };

  const toggle = (imageId: string, on: boolean) =>
    setSelected((before) => {
      const next = new Set(before);
      if (on) next.add(imageId);
      else next.delete(imageId);
      return next;
    });

  return (
    <>
      <div class="bulk-row">
        <p class="muted">Open until {formatDate(unlocked.expiresAt)}.</p>
        <button type="button" class="secondary small" onClick={forgetUnlock}>
          Lock the folder now
        </button>
      </div>
      {done && <p role="status">{done}</p>}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {chosen.length > 0 && (
        <div class="bulk-row">
          <button type="button" class="secondary" disabled={busy} onClick={() => void unlock(chosen)}>
            Unlock {chosen.length} selected
          </button>
        </div>
      )}
      <ListStatus
        list={{ ...list, items }}
        empty="The locked folder is empty."
        counted={(count) => `${count} photo${count === 1 ? '' : 's'} in the locked folder`}
      />
      <ul class="trash-list" aria-label="Locked photos">
        {items.map((item) => {
          const name = displayName(item);
          return (
            <li key={item.imageId} class="trash-row" data-image-id={item.imageId}>
              <input
                type="checkbox"
                aria-label={`Select ${name}`}
                checked={selected.has(item.imageId)}
                onChange={(event) => toggle(item.imageId, event.currentTarget.checked)}
              />
              <RowThumb item={item} />
              <div class="trash-text">
                <a class="trash-name" href={appPath(`images/${item.imageId}`)}>
                  {name}
                </a>
                <p class="muted">Uploaded {formatDate(item.createdAt)}</p>
              </div>
              <button type="button" class="secondary" disabled={busy} onClick={() => void unlock([item])}>
                Unlock <span class="visually-hidden">{name}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <LoadMore list={list} />
    </>
  );
}
