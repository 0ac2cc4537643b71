import { useEffect, useRef, useState } from 'preact/hooks';
import { useSignedIn } from '../auth';
import { appPath, useConfig } from '../config';
import { formatDate } from '../format';
import type { Auth } from '../signer';
import { useTitle } from '../title';
import type { SavedCopy, Shared as SharedAnswer, SharedImage } from '../types';

/*
 * The page a share link opens (`/app/shared#<token>`: the token in the fragment, which the browser sends to no server,
 * so the web app's access logs never hold it; an older link's `/app/shared/<token>` opens too), signed out: no
 * credential is sent, and a refusal never signs anyone out (it does not go through api.ts, whose 401 does).
 * `GET /shared/{token}` with the password, once asked, in X-Share-Password; the photos in a grid, one opened large,
 * its original offered only when the owner allowed it. It asks search engines not to index it and sends no referrer
 * (the headers the runner and the stack send say so too): the token is in its URL. A signed-in visitor may save a
 * photo into their own library (`POST /shared/-/save`, with their credential): the viewer then links to the copy.
 */

type Load =
  | { state: 'loading' }
  | { state: 'password'; wrong: boolean }
  | { state: 'refused'; title: string; text: string }
  | { state: 'ready'; page: SharedAnswer; items: SharedImage[]; cursor?: string; more: boolean };

/** A refusal of GET /shared/{token}, for people. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** One page of what the link shows, asked as anyone: no Authorization, no API key. */
async function openShared(apiUrl: string, token: string, password: string | undefined, cursor?: string) {
  const query = cursor ? `?${new URLSearchParams({ cursor })}` : '';
  // The token in a header, never in a URL: `/shared/-` is what any record of URLs (the API's traces) sees.
  const headers: Record<string, string> = { accept: 'application/json', 'x-share-token': token };
  if (password !== undefined) headers['x-share-password'] = password;
  const response = await fetch(`${apiUrl}/shared/-${query}`, {
    headers,
    referrerPolicy: 'no-referrer',
    credentials: 'omit',
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => ({}))) as SharedAnswer & { message?: string };
  if (!response.ok) {
    const retry = Number(response.headers.get('retry-after'));
    throw new Refused(response.status, body.message ?? `HTTP ${response.status}`, retry > 0 ? retry : undefined);
  }
  return body;
}

/**
 * The photo saved into the signed-in caller's library: their credential, and the link's token and password as
 * opening it sends them. Not through api.ts: a protected link's 401 is the link's, and must not sign anyone out.
 */
async function saveShared(
  apiUrl: string,
  auth: Auth,
  token: string,
  password: string | undefined,
  photo: string,
): Promise<SavedCopy> {
  const headers: Record<string, string> = {
    ...(await auth.headers()),
    accept: 'application/json',
    'content-type': 'application/json',
    'x-share-token': token,
  };
  if (password !== undefined) headers['x-share-password'] = password;
  const response = await fetch(`${apiUrl}/shared/-/save`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ photo }),
    referrerPolicy: 'no-referrer',
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => ({}))) as SavedCopy & { message?: string };
  if (!response.ok) throw new Refused(response.status, body.message ?? `HTTP ${response.status}`);
  return body;
}

/** What a refusal means to whoever was given the link. */
function refusalInWords(error: unknown): { title: string; text: string } {
  if (error instanceof Refused && error.status === 410) {
    // 410 too for a photo's link whose photo its owner locked or moved to the trash (get-shared.ts: "this link's
    // photo is no longer shared"), which the link shows again once it is back: not a link that is gone.
    if (/no longer shared/i.test(error.message)) {
      return { title: 'This photo is no longer shared', text: 'Its owner no longer shares it through this link.' };
    }
    return { title: 'This link no longer exists', text: 'Its owner revoked it, or it has expired.' };
  }
  if (error instanceof Refused && (error.status === 404 || error.status === 400)) {
    return { title: 'This link does not exist', text: 'Check that it was copied whole.' };
  }
  if (error instanceof Refused && error.status === 429) {
    const minutes = error.retryAfter ? Math.ceil(error.retryAfter / 60) : 15;
    return {
      title: 'Too many wrong passwords',
      text: `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    };
  }
  return {
    title: 'This link could not be opened',
    text: error instanceof Error ? error.message : 'The API could not be reached.',
  };
}

/** Tells search engines and the browser what the page wants, while it is shown. */
function useMeta(name: string, content: string): void {
  useEffect(() => {
    const meta = document.createElement('meta');
    meta.name = name;
    meta.content = content;
    document.head.append(meta);
    return () => meta.remove();
  }, [name, content]);
}

export function Shared({ token, auth }: { token: string; auth: Auth }) {
  const { apiUrl } = useConfig();
  const signedIn = useSignedIn(auth);
  useMeta('robots', 'noindex');
  useMeta('referrer', 'no-referrer');
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [password, setPassword] = useState<string>();
  const [viewing, setViewing] = useState<number>();
  useTitle(load.state === 'ready' ? load.page.title : 'Shared photos');

  useEffect(() => {
    let current = true;
    if (!token) {
      // The page without a token: a link cut short (nothing to ask the API).
      setLoad({ state: 'refused', ...refusalInWords(new Refused(404, 'no token')) });
      return;
    }
    setLoad({ state: 'loading' });
    openShared(apiUrl, token, password)
      .then((page) => {
        if (current) setLoad({ state: 'ready', page, items: page.items, cursor: page.cursor, more: false });
      })
      .catch((error) => {
        if (!current) return;
        if (error instanceof Refused && error.status === 401) {
          setLoad({ state: 'password', wrong: password !== undefined });
        } else setLoad({ state: 'refused', ...refusalInWords(error) });
      });
    return () => {
      current = false;
    };
  }, [apiUrl, token, password]);

  const loadMore = async () => {
    if (load.state !== 'ready' || !load.cursor) return;
    setLoad({ ...load, more: true });
    try {
      const page = await openShared(apiUrl, token, password, load.cursor);
      setLoad({ ...load, items: [...load.items, ...page.items], cursor: page.cursor, more: false });
    } catch (error) {
      setLoad({ state: 'refused', ...refusalInWords(error) });
    }
  };

  if (load.state === 'loading') return <p class="muted">Opening the link…</p>;
  if (load.state === 'password') return <PasswordForm wrong={load.wrong} onPassword={setPassword} />;
  if (load.state === 'refused') {
    return (
      <section>
        <h1>{load.title}</h1>
        <p>{load.text}</p>
      </section>
    );
  }
  const { page, items } = load;
  const count = `${items.length}${load.cursor ? '+' : ''} photo${items.length === 1 ? '' : 's'}`;
  return (
    <section>
      <h1>{page.title}</h1>
      <p class="muted">
        {page.kind === 'album' ? `Shared album · ${count}` : 'Shared photo'}
        {page.expiresAt && ` · open until ${formatDate(page.expiresAt)}`}
      </p>
      <ul class="grid shared-grid" aria-label="Photos">
        {items.map((image, index) => (
          <li key={image.id} class="card" data-photo-id={image.id}>
            <button
              type="button"
              class="shared-tile"
              aria-label={`Photo ${index + 1} of ${count}`}
              onClick={() => setViewing(index)}
            >
              <span class="thumb">
                <img
                  src={image.thumbnailUrl}
                  alt=""
                  width={image.width}
                  height={image.height}
                  loading="lazy"
                  decoding="async"
                  referrerpolicy="no-referrer"
                />
              </span>
            </button>
          </li>
        ))}
      </ul>
      {load.cursor && (
        <button type="button" class="more" disabled={load.more} aria-busy={load.more} onClick={() => void loadMore()}>
          Load more
        </button>
      )}
      {viewing !== undefined && items[viewing] && (
        <SharedViewer
          items={items}
          index={viewing}
          allowDownload={page.allowDownload}
          onSave={signedIn ? (photo) => saveShared(apiUrl, auth, token, password, photo) : undefined}
          onMove={setViewing}
          onClose={() => setViewing(undefined)}
        />
      )}
    </section>
  );
}

function PasswordForm({ wrong, onPassword }: { wrong: boolean; onPassword: (password: string) => void }) {
  const [text, setText] = useState('');
  return (
    <section>
      <h1>This link is protected</h1>
      <form
        class="stack"
        aria-label="Open the link"
        onSubmit={(event) => {
          event.preventDefault();
          if (text) onPassword(text);
        }}
      >
        <label for="share-password">Password</label>
        <input
          id="share-password"
          type="password"
          autocomplete="off"
          value={text}
          aria-invalid={wrong ? 'true' : undefined}
          aria-describedby={wrong ? 'share-password-problem' : undefined}
          onInput={(event) => setText(event.currentTarget.value)}
          autofocus
        />
        {wrong && (
          <p id="share-password-problem" class="error" role="alert">
            That is not the password of this link.
          </p>
        )}
        <div>
          <button type="submit">Open</button>
        </div>
      </form>
    </section>
  );
}

/** One shared photo large, previous and next within what is loaded; Escape or Close goes back to the grid. */
function SharedViewer(props: {
  items: SharedImage[];
  index: number;
  allowDownload: boolean;
  /** Signed in: saves the photo into the caller's library, answering their copy. */
  onSave?: (photo: string) => Promise<SavedCopy>;
  onMove: (index: number) => void;
  onClose: () => void;
}) {
  const { items, index, onMove, onClose } = props;
  const image = items[index] as SharedImage;
  // Each photo's save, by its id within the link: under way, done (the copy), or refused (why).
  const [saves, setSaves] = useState<Record<string, 'saving' | SavedCopy | Error>>({});
  const save = saves[image.id];
  const saveThis = async () => {
    if (!props.onSave) return;
    const photo = image.id;
    setSaves((all) => ({ ...all, [photo]: 'saving' }));
    try {
      const copy = await props.onSave(photo);
      setSaves((all) => ({ ...all, [photo]: copy }));
    } catch (error) {
      setSaves((all) => ({ ...all, [photo]: error instanceof Error ? error : new Error(String(error)) }));
    }
  };
  const close = useRef<HTMLButtonElement>(null);
  const keys = useRef<(event: KeyboardEvent) => void>(() => {});
  keys.current = (event) => {
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowLeft' && index > 0) onMove(index - 1);
    else if (event.key === 'ArrowRight' && index < items.length - 1) onMove(index + 1);
    else return;
    event.preventDefault();
  };
  useEffect(() => {
    close.current?.focus();
    const listener = (event: KeyboardEvent) => keys.current(event);
    document.addEventListener('keydown', listener);
    document.body.classList.add('viewer-open');
    return () => {
      document.removeEventListener('keydown', listener);
      document.body.classList.remove('viewer-open');
    };
  }, []);
  const name = `Photo ${index + 1} of ${items.length}`;
  return (
    <div class="photo-viewer" role="dialog" aria-modal="true" aria-label={name}>
      <div class="viewer-bar">
        <span class="viewer-name">{name}</span>
        {props.allowDownload && image.downloadUrl && (
          <a class="link-button" href={image.downloadUrl} download rel="noreferrer">
            Download original
          </a>
        )}
        {props.onSave &&
          (save !== undefined && save !== 'saving' && !(save instanceof Error) ? (
            <a class="link-button" href={appPath(`images/${save.imageId}`)}>
              Saved: open your copy
            </a>
          ) : (
            <button
              type="button"
              onClick={() => void saveThis()}
              disabled={save === 'saving'}
              aria-busy={save === 'saving'}
            >
              Save to my library
            </button>
          ))}
        {save instanceof Error && (
          <span class="error" role="alert">
            {save.message}
          </span>
        )}
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
      <div class="viewer-body">
        <div class="viewer-stage shared-stage">
          <img key={image.id} src={image.viewUrl} alt={name} referrerpolicy="no-referrer" />
        </div>
        <button
          type="button"
          class="viewer-nav previous"
          onClick={() => onMove(index - 1)}
          disabled={index === 0}
          aria-label="Previous photo"
        >
          ‹
        </button>
        <button
          type="button"
          class="viewer-nav next"
          onClick={() => onMove(index + 1)}
          disabled={index >= items.length - 1}
          aria-label="Next photo"
        >
          ›
        </button>
      </div>
    </div>
  );
}
