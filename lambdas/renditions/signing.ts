import { createHmac, timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from '../shared/errors';
import { IMAGE_ID_PATTERN } from '../store/keys';
import { MAX_QUERY_CHARS } from './query';
import { KEY_ID_PATTERN, type SigningKey, type SigningKeySet } from './signing-keys';

/**
 * Signed, expiring rendition URLs: `/<imageId>?<canonical spec>&exp=<unix s>&kid=<key id>&sig=<base64url>`.
 *
 * `sig` is HMAC-SHA256, under the key `kid` names, of a text that holds the path, the spec's query, `exp` and
 * `kid`, one per line; no method or host, so the API that signs and the function behind CloudFront that verifies
 * agree whatever reaches them. The spec's parameters are signed in the order they are given, which for every URL
 * the API issues is the canonical order (`canonicalQuery`): a URL with its parameters reordered is refused like a
 * tampered one, rather than read as the same rendition, so one rendition has one URL and one CDN cache entry
 * (behind CloudFront, the viewer-request function restores the canonical order before the cache and this check).
 * Percent-encoding is normalised before signing and verifying (`%2C` and `,` are the same), and `exp`, `kid` and
 * `sig` may stand anywhere.
 *
 * Expiries are rounded up to a window (`renditionExpiry`, 5 minutes by default): everyone asking for one spec of
 * one image in one window gets the same URL, so CloudFront (whose cache key includes the signature) serves them
 * all from one cache entry. A URL lives from its TTL to its TTL plus the window.
 */

/** Seconds expiries are rounded up to. Key rotation counts it in its overlap (`minimumOverlapSeconds`). */
export const EXPIRY_WINDOW_SECONDS = 300;

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

export interface SignRenditionInput {
  imageId: string;
  /** The spec's query, as `canonicalQuery` writes it (empty for the original's size and format). */
  query: string;
  /** Unix seconds; from `renditionExpiry`, so URLs repeat within a window. */
  expires: number;
  /** From `signingKey(set, now)`. */
  key: SigningKey;
}

/** The rendition URL's path and query, to put after the distribution's origin. */
export function signRendition({ imageId, query, expires, key }: SignRenditionInput): string {
  if (!IMAGE_ID_PATTERN.test(imageId)) throw new Error(`imageId: not an image id: ${imageId}`);
  if (!Number.isInteger(expires) || expires < 0) throw new Error(`expires: unix seconds, got ${expires}`);
  if (!KEY_ID_PATTERN.test(key.id)) throw new Error(`key.id: not a key id: ${key.id}`);
  const path = `/${imageId}`;
  const spec = normalisedQuery(query.replace(/^\?/, '').split('&'));
  const sig = signature(key.secret, path, spec, String(expires), key.id);
  return `${path}?${spec === '' ? '' : `${spec}&`}exp=${expires}&kid=${key.id}&sig=${sig}`;
}

/** What a verified URL says. */
export interface VerifiedRendition {
  imageId: string;
  /** The spec's parameters, normalised, without the signature's: for `specFromQuery`. */
  query: string;
  /** Unix seconds. */
  expires: number;
  kid: string;
}

export interface VerifyOptions {
  /**
   * The longest lifetime this deployment issues (`renditionUrlTtlSeconds` + the expiry window). A URL that
   * expires later was not issued by it; refusing it bounds what a leaked retired key could sign. Default: no bound.
   */
  maxLifetimeSeconds?: number;
}

/**
 * Check a rendition URL's signature and expiry: a 403 naming what is missing, unknown, changed or expired.
 * `query` is the raw query string, as it arrived (without `?`).
 */
export function verifyRendition(
  path: string,
  query: string,
  keys: SigningKeySet,
  now: Date,
  options: VerifyOptions = {},
): VerifiedRendition {
  const imageId = /^\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(path)?.[1];
  if (imageId === undefined) throw new ForbiddenError('path: not a rendition address, /<imageId>');
  if (query.length > MAX_SIGNED_QUERY_CHARS) {
    throw new ForbiddenError(`query: ${query.length} characters, longer than any signed rendition URL`);
  }
  const { spec, exp, kid, sig } = splitSigned(query);
  const key = keys.keys.find((candidate) => candidate.id === kid);
  if (key === undefined) {
    throw new ForbiddenError(`kid: no signing key ${kid} (retired, or never issued): ask the API for a new URL`);
  }
  const expected = Buffer.from(signature(key.secret, path, spec, exp, kid), 'base64url');
  if (!timingSafeEqual(expected, Buffer.from(sig, 'base64url'))) {
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
  return { imageId, query: spec, expires, kid };
}

/** The raw query as the signed spec part and the three signature parameters, each present once and well formed. */
function splitSigned(query: string): { spec: string; exp: string; kid: string; sig: string } {
  const specPieces: string[] = [];
  const found: Record<string, string[]> = { exp: [], kid: [], sig: [] };
  for (const piece of query.replace(/^\?/, '').split('&')) {
    const at = piece.indexOf('=');
    const name = decodePart(at < 0 ? piece : piece.slice(0, at));
    const list = Object.hasOwn(found, name) ? found[name] : undefined;
    if (list) list.push(at < 0 ? '' : decodePart(piece.slice(at + 1)));
    else specPieces.push(piece);
  }
  const missing = Object.keys(found).filter((name) => found[name]?.length === 0);
  if (missing.length > 0) {
    throw new ForbiddenError(
      `${missing.join(', ')}: missing; rendition URLs are signed by the API (GET /images/{id}, POST /images/{id}/renditions)`,
    );
  }
  const twice = Object.keys(found).filter((name) => (found[name]?.length ?? 0) > 1);
  if (twice.length > 0) throw new ForbiddenError(`${twice.join(', ')}: given more than once`);
  const [exp = '', kid = '', sig = ''] = [found.exp?.[0], found.kid?.[0], found.sig?.[0]];
  if (!EXPIRY_PATTERN.test(exp)) throw new ForbiddenError('exp: not an expiry time (unix seconds)');
  if (!KEY_ID_PATTERN.test(kid)) throw new ForbiddenError('kid: not a key id');
  if (!SIGNATURE_PATTERN.test(sig)) throw new ForbiddenError('sig: not a signature (43 base64url characters)');
  return { spec: normalisedQuery(specPieces), exp, kid, sig };
}

/** Pieces re-encoded one way, so that two encodings of one query sign alike; empty pieces (`&&`) dropped. */
function normalisedQuery(pieces: readonly string[]): string {
  return pieces
    .filter((piece) => piece !== '')
    .map((piece) => {
      const at = piece.indexOf('=');
      if (at < 0) return encodePart(decodePart(piece));
      return `${encodePart(decodePart(piece.slice(0, at)))}=${encodePart(decodePart(piece.slice(at + 1)))}`;
    })
    .join('&');
}

/** Form decoding, as URLSearchParams does it (`+` is a space). */
function decodePart(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw new ForbiddenError('query: malformed percent-encoding');
  }
}

/** As `canonicalQuery` writes values: commas (crop) stay readable. */
function encodePart(text: string): string {
  return encodeURIComponent(text).replaceAll('%2C', ',');
}

function signature(secret: string, path: string, spec: string, exp: string, kid: string): string {
  const text = ['image-intel rendition v1', path, spec, exp, kid].join('\n');
  return createHmac('sha256', secret).update(text).digest('base64url');
}
