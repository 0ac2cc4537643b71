import { createHash } from 'node:crypto';

/*
 * How long a cache, CloudFront's or a browser's, may keep a rendition, and how a kept copy is checked again. A copy
 * is kept briefly and then revalidated, rather than kept until its URL expires, so that a deleted image stops being
 * served within minutes with no invalidation per image: CloudFront allows 15 wildcard invalidation paths in progress
 * per distribution and charges $0.005 a path past 1,000 a month, which a bulk delete of thousands of images outruns.
 * A revalidation is a conditional request that the render function answers from the record it reads anyway, without
 * the bucket: 304 while the image is there, 404 once it is deleted (docs/renditions.md, "Deleted images").
 */

/** Seconds a cache may serve a rendition before asking the render function again; CloudFront's maximum TTL too. */
export const RENDITION_CACHE_SECONDS = 60;

/**
 * Seconds a cache may serve a rendition a share link handed out before asking again: the render function checks the
 * link on every request that reaches it, so a revoked link's photos stop being served at the edge within this.
 */
export const SHARED_CACHE_SECONDS = 10;

/**
 * A rendition's `cache-control`: kept `seconds` (RENDITION_CACHE_SECONDS; SHARED_CACHE_SECONDS for a link's), or less
 * when its URL expires sooner (`expires`, unix seconds; none for a public preset's URL, which does not expire: the
 * same bound keeps a deleted image's short).
 */
export function renditionCacheControl(
  expires: number | undefined,
  now: Date,
  seconds: number = RENDITION_CACHE_SECONDS,
): string {
  if (expires === undefined) return `public, max-age=${seconds}`;
  const untilExpiry = Math.max(0, Math.floor(expires - now.getTime() / 1000));
  return `public, max-age=${Math.min(untilExpiry, seconds)}`;
}

/**
 * A rendition's entity tag: its key, which holds the original's SHA-256 and the canonical spec with the negotiated
 * format, so one tag always names one rendition of one image. Weak: a rendition rendered again (its stored copy lost)
 * by a newer libvips may differ in its bytes, not in what it shows.
 */
export function renditionEtag(key: string, shared = false): string {
  // A link's answers must not name the image (its id is its upload time): the key's hash stands for it.
  return shared ? `W/"${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"` : `W/"${key}"`;
}

/**
 * Whether an `If-None-Match` header holds this tag, by RFC 9110's weak comparison (13.1.2): a comma-separated list,
 * `W/` ignored on both sides; `*` holds any tag, and is asked only after the rendition is known to exist.
 */
export function ifNoneMatchHolds(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}
