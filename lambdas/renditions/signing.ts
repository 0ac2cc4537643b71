import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError, ForbiddenError } from '../shared/errors';
import { IMAGE_ID_PATTERN } from '../store/keys';
import { MAX_QUERY_CHARS, RENDITION_QUERY_NAMES } from './query';
import { imageIdOfSharedPhoto, sharedPhotoId } from './share-scope';
import { EXPIRY_WINDOW_SECONDS } from './signing-contract';
import { KEY_ID_PATTERN, type SigningKey, type SigningKeySet } from './signing-keys';

/**
 * Signed, expiring rendition URLs: `/<imageId>?<canonical spec>&exp=<unix s>&kid=<key id>&sig=<base64url>`.
 *
 * `sig` is HMAC-SHA256, under the key `kid` names, of a text that holds the path, the spec's query, `exp` and
 * `kid`, one per line; no method or host, so the API that signs and the function behind CloudFront that verifies
 * agree whatever reaches them.
 *
 * One rendition has one spelling, so one URL and one CDN cache entry: each spelling of a query is its own cache
 * key, and a second spelling that verified would be a way past the cache straight to the render function. So the
 * text signed is the spec's query exactly as `canonicalQuery` writes it, and a URL verifies only in that spelling:
 * the spec's parameters in canonical order, each name written out (no percent-encoded names), no empty pairs, no
 * parameter twice, then `exp`, `kid` and `sig` in that order; the HMAC is of the raw text as it arrived, and the
 * signature is compared as its canonical base64url text (43 characters; the last one's two spare bits would
 * otherwise give four spellings of one signature). A query in another grammar (an empty pair, a percent-encoded
 * name, a name twice, the signature not last) is a 400, as the viewer-request function answers it before the cache
 * (lambdas/edge/rendition-request.js, which has put the parameters in canonical order already); what only the key
 * can tell (a value spelled otherwise, another signature) is a 403.
 *
 * A URL a share link hands out (share-scope.ts) names its link in the signed text, after the spec and before the
 * signature: `share=<the token's hash>`, then `download` for its original; its path is the photo's id within the link
 * (22 characters) rather than the image id. The render function checks the link on every request that reaches it.
 *
 * A URL of a photo in its owner's locked folder carries `lk` in the signed text, after the spec and before a link's
 * scope: get-image signs it only for a request that sent a valid unlock token, and no later than the token expires.
 * The render function refuses a locked photo to a URL without it, so one issued before the lock stops working.
 *
 * Expiries are rounded up to a window (`renditionExpiry`, 5 minutes by default): everyone asking for one spec of
 * one image in one window gets the same URL, so CloudFront (whose cache key includes the signature) serves them
 * all from one cache entry. A URL lives from its TTL to its TTL plus the window.
 */

/** Bounds the work done on a URL before its signature is known to be good. */
const MAX_SIGNED_QUERY_CHARS = MAX_QUERY_CHARS + 256;
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const EXPIRY_PATTERN = /^\d{1,12}$/;

/** The expiry, in unix seconds, of a URL issued at `now` for `ttlSeconds`: at least that late, on a window edge. */
export function renditionExpiry(now: Date, ttlSeconds: number, windowSeconds: number = EXPIRY_WINDOW_SECONDS): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    throw new Error(`ttlSeconds: a whole number >= 1, got ${ttlSeconds}`);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new Error(`windowSeconds: a whole number >= 1, got ${windowSeconds}`);
  }
  const earliest = Math.ceil(now.getTime() / 1000) + ttlSeconds;
  return Math.ceil(earliest / windowSeconds) * windowSeconds;
}

/** The link a URL was handed out by, and whether it is for the original (`download`) rather than a rendition. */
export interface RenditionShareScope {
  /** The link's token hash (64 hex digits). */
  hash: string;
  download?: boolean;
}

export interface SignRenditionInput {
  imageId: string;
  /** Handed out by a share link: named in the URL and checked on every request (share-scope.ts). */
  share?: RenditionShareScope;
  /** For a photo in the locked folder, with an unlock token: `lk`, which the render function asks of a locked photo. */
  locked?: boolean;
  /** The spec's query, as `canonicalQuery` writes it (empty for the original's size and format); signed as is. */
  query: string;
  /** Unix seconds; from `renditionExpiry`, so URLs repeat within a window. */
  expires: number;
  /** From `signingKey(set, now)`. */
  key: SigningKey;
}

/** The rendition URL's path and query, to put after the distribution's origin. */
export function signRendition({ imageId, query, expires, key, share, locked }: SignRenditionInput): string {
  if (!IMAGE_ID_PATTERN.test(imageId)) throw new Error(`imageId: not an image id: ${imageId}`);
  if (!Number.isInteger(expires) || expires < 0) throw new Error(`expires: unix seconds, got ${expires}`);
  if (!KEY_ID_PATTERN.test(key.id)) throw new Error(`key.id: not a key id: ${key.id}`);
  if (share && !SHARE_HASH_PATTERN.test(share.hash)) throw new Error('share.hash: not a token hash');
  const path = `/${share ? sharedPhotoId(imageId, share.hash, key.secret) : imageId}`;
  const spec = query.replace(/^\?/, '');
  const problem =
    spec === ''
      ? undefined
      : spellingProblem(
          [...spec.split('&'), ...SIGNATURE_ORDER],
          [...spec.split('&').map((piece) => piece.split('=', 1)[0] ?? ''), ...SIGNATURE_ORDER],
        );
  const unordered = problem ?? (spec === '' ? undefined : orderProblem(spec.split('&')));
  if (unordered) throw new Error(`query: ${unordered}: sign the spec as canonicalQuery writes it`);
  const scope = [
    ...(locked ? [LOCKED_NAME] : []),
    ...(share ? [`share=${share.hash}`, ...(share.download ? ['download'] : [])] : []),
  ];
  const signed = [...(spec === '' ? [] : [spec]), ...scope].join('&');
  const sig = signature(key.secret, path, signed, String(expires), key.id);
  return `${path}?${signed === '' ? '' : `${signed}&`}exp=${expires}&kid=${key.id}&sig=${sig}`;
}

const SHARE_HASH_PATTERN = /^[0-9a-f]{64}$/;
/** The signed piece that lets a URL show a photo in the locked folder. */
const LOCKED_NAME = 'lk';

/** What a verified URL says. */
export interface VerifiedRendition {
  imageId: string;
  /** The spec's parameters as they were signed, without the signature's: for `specFromQuery`. */
  query: string;
  /** Unix seconds. */
  expires: number;
  kid: string;
  /** The link that handed the URL out, which the caller must find still open. */
  share?: RenditionShareScope;
  /** Signed for a photo in the locked folder (`lk`): only such a URL shows a locked photo. */
  locked?: boolean;
}

export interface VerifyOptions {
  /**
   * The longest lifetime this deployment issues (`renditionUrlTtlSeconds` + the expiry window). A URL that
   * expires later was not issued by it; refusing it bounds what a leaked retired key could sign. Default: no bound.
   */
  maxLifetimeSeconds?: number;
}

/**
 * Check a rendition URL's signature and expiry: a 403 naming what is missing, unknown, changed or expired, or a 400
 * naming how the query is not spelled as the API writes it. `query` is the raw query string, as it arrived (without
 * `?`).
 */
export function verifyRendition(
  path: string,
  query: string,
  keys: SigningKeySet,
  now: Date,
  options: VerifyOptions = {},
): VerifiedRendition {
  const named = /^\/([0-9A-HJKMNP-TV-Z]{26}|[A-Za-z0-9_-]{22})$/.exec(path)?.[1];
  if (named === undefined) throw new ForbiddenError('path: not a rendition address, /<imageId>');
  if (query.length > MAX_SIGNED_QUERY_CHARS) {
    throw new ForbiddenError(`query: ${query.length} characters, longer than any signed rendition URL`);
  }
  const { signed, spec, share, locked, exp, kid, sig } = splitSigned(query);
  const key = keys.keys.find((candidate) => candidate.id === kid);
  if (key === undefined) {
    throw new ForbiddenError(`kid: no signing key ${kid} (retired, or never issued): ask the API for a new URL`);
  }
  // Compared as text: decoding first would accept the spare bits of the last character as the same signature.
  const expected = Buffer.from(signature(key.secret, path, signed, exp, kid), 'ascii');
  if (!timingSafeEqual(expected, Buffer.from(sig, 'ascii'))) {
    throw new ForbiddenError('sig: does not match this URL (a parameter, their order or the image was changed)');
  }
  const expires = Number(exp);
  const nowSeconds = now.getTime() / 1000;
  if (expires <= nowSeconds) {
    throw new ForbiddenError(
      `exp: this URL expired at ${new Date(expires * 1000).toISOString()}: ask the API for a new one`,
    );
  }
  if (options.maxLifetimeSeconds !== undefined && expires - nowSeconds > options.maxLifetimeSeconds) {
    throw new ForbiddenError(
      `exp: more than ${options.maxLifetimeSeconds} s ahead, longer than this deployment's URLs live`,
    );
  }
  // A link's URL names its photo by the link's id for it, any other by the image id: nothing else was ever signed.
  const imageId = share ? imageIdOfSharedPhoto(named, share.hash, key.secret) : isImageIdText(named);
  if (imageId === undefined) throw new ForbiddenError('path: not the image this URL was signed for');
  return { imageId, query: spec, expires, kid, ...(share && { share }), ...(locked && { locked }) };
}

function isImageIdText(named: string): string | undefined {
  return IMAGE_ID_PATTERN.test(named) ? named : undefined;
}

/** The names of the signature's parameters, in the order they close a rendition URL. */
const SIGNATURE_ORDER = ['exp', 'kid', 'sig'] as const;
/** A parameter's name as the grammar writes it (as the edge's list admits them): never percent-encoded. */
const NAME_PATTERN = /^[a-z][a-z0-9]*$/;

/**
 * The raw query as the signed spec part and the three signature parameters: a 403 if one of those is missing, a
 * 400 unless the query is spelled as the API writes it (pieces `name` or `name=value` with literal names, none
 * empty, none twice, and `exp`, `kid`, `sig` last in that order).
 */
function splitSigned(query: string): {
  signed: string;
  spec: string;
  share?: RenditionShareScope;
  locked?: boolean;
  exp: string;
  kid: string;
  sig: string;
} {
  const pieces = query.replace(/^\?/, '').split('&');
  const names = pieces.map((piece) => piece.split('=', 1)[0] ?? '');
  const missing = SIGNATURE_ORDER.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new ForbiddenError(
      `${missing.join(', ')}: missing; rendition URLs are signed by the API (GET /images/{id}, POST /images/{id}/renditions)`,
    );
  }
  const problem = spellingProblem(pieces, names);
  if (problem) throw new BadRequestError(`query: ${problem}; use the URL exactly as the API gave it`);
  const [exp = '', kid = '', sig = ''] = pieces.slice(-3).map((piece) => piece.slice(piece.indexOf('=') + 1));
  if (!EXPIRY_PATTERN.test(exp)) throw new ForbiddenError('exp: not an expiry time (unix seconds)');
  if (!KEY_ID_PATTERN.test(kid)) throw new ForbiddenError('kid: not a key id');
  if (!SIGNATURE_PATTERN.test(sig)) throw new ForbiddenError('sig: not a signature (43 base64url characters)');
  const signed = pieces.slice(0, -3);
  const spec = [...signed];
  const download = spec.at(-1) === 'download' ? spec.pop() !== undefined : false;
  const hash = spec.at(-1)?.startsWith('share=') ? spec.pop()?.slice('share='.length) : undefined;
  if (download && hash === undefined) throw new ForbiddenError('download: only a share link hands out its originals');
  if (hash !== undefined && !SHARE_HASH_PATTERN.test(hash)) throw new ForbiddenError('share: not a share link');
  const share = hash === undefined ? undefined : { hash, ...(download && { download }) };
  const locked = spec.at(-1) === LOCKED_NAME ? spec.pop() !== undefined : false;
  return {
    signed: signed.join('&'),
    spec: spec.join('&'),
    ...(share && { share }),
    ...(locked && { locked }),
    exp,
    kid,
    sig,
  };
}

/** What makes a query another spelling than the one the API signs, or undefined. */
function spellingProblem(pieces: readonly string[], names: readonly string[]): string | undefined {
  if (pieces.includes('')) return 'an empty parameter (a stray &)';
  const encoded = names.find((name) => !NAME_PATTERN.test(name));
  if (encoded !== undefined)
    return `${JSON.stringify(encoded.slice(0, 40))} is not a parameter name as the API writes it`;
  const twice = names.find((name, at) => names.indexOf(name) !== at);
  if (twice !== undefined) return `${twice} is given more than once`;
  const tail = names.slice(-3).join('&');
  if (tail !== SIGNATURE_ORDER.join('&')) return 'exp, kid and sig must close the URL, in that order';
  return undefined;
}

/**
 * Names outside the grammar or out of its order: what signRendition can tell of a query that is not canonical
 * without the deployment's limits (its values' spelling is canonicalQuery's to hold, and the render function's).
 */
function orderProblem(pieces: readonly string[]): string | undefined {
  const at = pieces.map((piece) => RENDITION_QUERY_NAMES.indexOf(piece.split('=', 1)[0] ?? ''));
  const unknown = at.indexOf(-1);
  if (unknown >= 0) return `${JSON.stringify(pieces[unknown]?.slice(0, 40))} is not a parameter of the grammar`;
  if (at.some((index, i) => i > 0 && index < (at[i - 1] ?? 0))) return 'the parameters are not in canonical order';
  return undefined;
}

function signature(secret: string, path: string, spec: string, exp: string, kid: string): string {
  const text = ['image-intel rendition v1', path, spec, exp, kid].join('\n');
  return createHmac('sha256', secret).update(text).digest('base64url');
}
