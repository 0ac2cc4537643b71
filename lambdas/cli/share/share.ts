import type { z } from 'zod';
import type {
  CreatedShareSchema,
  SavedCopySchema,
  SharedImageSchema,
  SharedSchema,
  ShareRequestSchema,
  ShareSchema,
} from '../../albums/functions/share-schemas';
import { ALBUMS_EXIT, type CommandIo, eachItem, exitOf, type Out, run } from '../albums/albums';
import { ApiError, failureOf, messageOf, withSlash } from '../api-client';
import { table } from '../table';

/*
 * `image-intel share ...`: share links (docs/api.md#share-links). `album`, `image`, `list` and `revoke` are the
 * owner's calls, signed as every command's; `open` is what someone given the link does, signed out: GET
 * /shared/{token}, with the password in X-Share-Password; `save` keeps one of its photos in the caller's own library,
 * signed in (POST /shared/-/save, the token in X-Share-Token).
 */

export interface ShareFlags {
  api: string;
  apiKey?: string;
  token?: string;
  json?: boolean;
}

/** A link as the API answers it (`GET /shares`, and `share` in a creation's answer). */
export type ShareAnswer = z.output<typeof ShareSchema>;

/** What `GET /shared/{token}` answers: what the link shows, and nothing else of its owner. */
export type SharedPage = z.output<typeof SharedSchema>;

export type SharedImage = z.output<typeof SharedImageSchema>;

/**
 * The token of a link: the fragment of the web app's URL (`/app/shared#<token>`), else the last path segment of its
 * URL (the app's older `/app/shared/<token>`, or the API's `/shared/<token>`); or itself.
 */
export function tokenOf(tokenOrUrl: string): string {
  const text = tokenOrUrl.trim();
  if (!/^https?:\/\//i.test(text)) return text;
  const url = new URL(text);
  if (url.hash.length > 1) return decodeURIComponent(url.hash.slice(1));
  const segments = url.pathname.split('/').filter(Boolean);
  return decodeURIComponent(segments.at(-1) ?? '');
}

/** What `share revoke` sends: a link's id (16 hex digits, as `share list` prints it) as it is, else its token. */
export function revokeIdOf(idTokenOrUrl: string): string {
  const text = idTokenOrUrl.trim();
  return /^[0-9a-f]{16}$/.test(text) ? text : tokenOf(text);
}

export type ShareCreate = z.output<typeof ShareRequestSchema>;

/**
 * `share album ID` / `share image ID`: the link made; its URL (to give), shown this once (the API keeps no token,
 * so nothing can show it again), and its id (to revoke it).
 */
export function createShareCommand(
  target: { kind: 'album' | 'image'; id: string },
  body: ShareCreate,
  flags: ShareFlags,
  io: CommandIo = {},
) {
  return run(flags, io, async (client, out) => {
    const path = `/${target.kind === 'album' ? 'albums' : 'images'}/${encodeURIComponent(target.id)}/shares`;
    const made = (await client.call('POST', path, body)) as z.output<typeof CreatedShareSchema>;
    if (flags.json) return out(JSON.stringify(made));
    out(`Shared ${target.kind === 'album' ? 'the album' : 'the photo'} “${made.share.title}”: ${made.url}`);
    out(`  ${describeShare(made.share)}`);
    out('  the link is shown only now: keep it (share list shows the link without it)');
    out(`  revoke it with: image-intel share revoke ${made.share.shareId}`);
  });
}

/** A link's terms in words: until when, with a password or not, originals or not, and how often it was opened. */
export function describeShare(share: ShareAnswer): string {
  const parts = [
    share.state === 'revoked'
      ? `revoked ${share.revokedAt ?? ''}`.trim()
      : share.state === 'expired'
        ? `expired ${share.expiresAt ?? ''}`.trim()
        : share.expiresAt
          ? `until ${share.expiresAt}`
          : 'no expiry',
    share.protected ? 'password' : 'no password',
    share.allowDownload ? 'originals may be downloaded' : 'no download',
    `${share.views} view${share.views === 1 ? '' : 's'}`,
  ];
  return parts.join(', ');
}

/** `share list`: the caller's links, newest first, with their state and views. */
export function listSharesCommand(flags: ShareFlags & { limit?: number }, io: CommandIo = {}) {
  return run(flags, io, async (client, out) => {
    const shares: ShareAnswer[] = [];
    await eachItem<ShareAnswer>(client, '/shares', flags.limit ?? Number.POSITIVE_INFINITY, (share) =>
      flags.json ? out(JSON.stringify(share)) : shares.push(share),
    );
    if (flags.json) return;
    if (shares.length === 0) return out('No share links (image-intel share album ID makes one).');
    for (const line of shareTable(shares)) out(line);
  });
}

/**
 * Links for people: the id to revoke one by, state, views, what they show, until when. No URL: the API gives a
 * link's only when it is made.
 */
export function shareTable(shares: readonly ShareAnswer[]): string[] {
  return table(
    ['ID', 'STATE', 'VIEWS', 'WHAT', 'EXPIRES', 'PASSWORD'],
    shares.map((share) => [
      share.shareId,
      share.state,
      String(share.views),
      `${share.kind} “${share.filename ?? share.title}”`,
      share.expiresAt ?? 'never',
      share.protected ? 'yes' : 'no',
    ]),
  );
}

/** `share revoke ID-TOKEN-OR-URL`: the link no longer opens, at once. */
export function revokeShareCommand(idTokenOrUrl: string, flags: ShareFlags, io: CommandIo = {}) {
  const id = revokeIdOf(idTokenOrUrl);
  return run(flags, io, async (client, out) => {
    await client.call('DELETE', `/shares/${encodeURIComponent(id)}`);
    out(flags.json ? JSON.stringify({ id, revoked: true }) : 'Revoked: the link no longer opens.');
  });
}

/**
 * `share save TOKEN-OR-URL PHOTO`: the link's photo (its id within the link, as `share open` prints it) saved into
 * the caller's library, through the caller's API: the copy's id, and whether its position was kept.
 */
export function saveSharedCommand(
  tokenOrUrl: string,
  photo: string,
  flags: ShareFlags & { password?: string },
  io: CommandIo = {},
) {
  const headers: Record<string, string> = { 'x-share-token': tokenOf(tokenOrUrl) };
  if (flags.password !== undefined) headers['x-share-password'] = flags.password;
  return run(flags, io, async (client, out) => {
    const saved = (await client.call('POST', '/shared/-/save', { photo }, headers)) as z.output<typeof SavedCopySchema>;
    if (flags.json) return out(JSON.stringify(saved));
    const when = saved.status === 'SAVED' ? 'Saved before, as' : 'Saved as';
    const position = saved.position === 'kept' ? 'with its position' : 'without its position';
    out(`${when} ${saved.imageId} (${position})${saved.status === 'SAVING' ? ': being analysed' : ''}`);
  });
}

/** What `share open` needs: the API (or the link's, found from it), and how to fetch (a fake in the unit tests). */
export interface OpenIo {
  out?: Out;
  err?: Out;
  fetch?: typeof fetch;
}

/**
 * The API a link is opened through: `--api`; else from its URL: the API's own `/shared/<token>` is on the API; the
 * web app's `/app/shared#<token>` (or older `/app/shared/<token>`) names its API in the app's `/app/config.json`
 * (empty: the same origin, the runner).
 */
export async function apiOfLink(tokenOrUrl: string, api: string | undefined, fetcher: typeof fetch): Promise<string> {
  if (api) return api;
  if (!/^https?:\/\//i.test(tokenOrUrl.trim())) {
    throw new ApiError(0, 'give the link as a URL, or --api with a token');
  }
  const url = new URL(tokenOrUrl.trim());
  const before = /^(.*)\/shared(\/[^/]*)?$/.exec(url.pathname)?.[1] ?? url.pathname.replace(/\/+$/, '');
  if (!before.endsWith('/app')) return `${url.origin}${before}`;
  const response = await fetcher(`${url.origin}${before}/config.json`, { headers: { accept: 'application/json' } });
  const config = response.ok ? ((await response.json()) as { apiUrl?: unknown }) : {};
  if (typeof config.apiUrl !== 'string') {
    throw new ApiError(response.status, `${url.origin}${before}/config.json does not name the API: give --api`);
  }
  return config.apiUrl === '' ? url.origin : config.apiUrl.replace(/\/+$/, '');
}

/** The link's refusal in words: a password asked for or wrong, too many tries, revoked or expired, never made. */
export function refusalOf(status: number, message: string, password: boolean, retryAfter?: string | null): string {
  if (status === 401) {
    return password
      ? 'the password is not this link’s'
      : 'this link is protected by a password: give it with --password-stdin (or --password)';
  }
  if (status === 429) return `too many wrong passwords: try again${retryAfter ? ` in ${retryAfter} s` : ' later'}`;
  if (status === 410) return 'this link was revoked or has expired: it no longer opens';
  if (status === 404) return 'no such link (never made, or altered)';
  return `GET /shared/…: ${status} ${message}`;
}

/**
 * `share open TOKEN-OR-URL`: what the link shows, signed out: its title, terms, and each photo's size and the URL
 * of its view (and of its original, when the owner allowed downloads); every page, or `limit` photos.
 */
export async function openShareCommand(
  tokenOrUrl: string,
  flags: { api?: string; password?: string; json?: boolean; limit?: number },
  io: OpenIo = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`image-intel: ${line}\n`));
  const fetcher = io.fetch ?? fetch;
  const token = tokenOf(tokenOrUrl);
  let api = flags.api ?? tokenOrUrl;
  try {
    api = await apiOfLink(tokenOrUrl, flags.api, fetcher);
    // The token in a header, never in a URL (`/shared/-`): no record of URLs on the way holds it.
    const headers: Record<string, string> = { accept: 'application/json', 'x-share-token': token };
    if (flags.password !== undefined) headers['x-share-password'] = flags.password;
    const cap = flags.limit ?? Number.POSITIVE_INFINITY;
    const images: SharedImage[] = [];
    let cursor: string | undefined;
    let first: SharedPage | undefined;
    // Its own fetch, not an ImageApiClient's call: that sends no X-Share-Password, keeps no Retry-After and asks a
    // 429 (too many wrong passwords) again; the refusal's words are the client's (messageOf).
    do {
      const url = new URL('shared/-', withSlash(api));
      if (cursor !== undefined) url.searchParams.set('cursor', cursor);
      const response = await fetcher(url, { headers });
      const text = await response.text();
      if (!response.ok) {
        const message = messageOf(text);
        err(refusalOf(response.status, message, flags.password !== undefined, response.headers.get('retry-after')));
        return ALBUMS_EXIT.refused;
      }
      const page = JSON.parse(text) as SharedPage;
      first ??= page;
      images.push(...page.items.slice(0, cap - images.length));
      cursor = page.cursor;
    } while (cursor !== undefined && images.length < cap);
    if (flags.json || !first) {
      for (const image of images) out(JSON.stringify(image));
      return ALBUMS_EXIT.ok;
    }
    const terms = [
      first.expiresAt ? `until ${first.expiresAt}` : 'no expiry',
      first.allowDownload ? 'originals may be downloaded' : 'no download',
    ];
    out(`${first.kind === 'album' ? 'Album' : 'Photo'} “${first.title}”: ${terms.join(', ')}`);
    if (images.length === 0) out('  (no photos)');
    else {
      const rows = images.map((image) => [
        `${image.width}x${image.height}`,
        image.id,
        image.downloadUrl ? image.downloadUrl : image.viewUrl,
      ]);
      for (const line of table(['SIZE', 'PHOTO', first.allowDownload ? 'ORIGINAL' : 'VIEW'], rows)) out(line);
    }
    if (cursor !== undefined) err('more photos not shown: --limit N for more');
    return ALBUMS_EXIT.ok;
  } catch (error) {
    err(failureOf(error, api));
    return exitOf(error);
  }
}
