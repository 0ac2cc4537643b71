/*
 * The numbers rendition URLs live by, which the stack reads to give the key rotation its overlap: how long expiries
 * are rounded up (signing.ts), how long a signer or verifier caches the key set (signing-keys.ts, key-secret.ts),
 * and the overlap a rotation must keep old keys for, made of them and the URLs' lifetime.
 */

/** Seconds expiries are rounded up to. Key rotation counts it in its overlap (`minimumOverlapSeconds`). */
export const EXPIRY_WINDOW_SECONDS = 300;

/** Seconds a signer or verifier keeps the key set before reading the secret again (the one contract for both). */
export const KEY_CACHE_SECONDS = 300;

/** What a rotation must keep old keys for, in seconds. */
export interface OverlapInputs {
  /** The longest lifetime a rendition URL is issued with (`renditionUrlTtlSeconds`). */
  urlTtlSeconds: number;
  /** The window expiries are rounded up to (`renditionExpiry`): it lengthens a URL's life by up to this much. */
  expiryWindowSeconds: number;
  /** How long signers wait before using a new key: at least the key cache age (`KEY_CACHE_SECONDS`). */
  propagationSeconds?: number;
}

/** The shortest safe `overlapSeconds`: the last URL signed with the previous key expires this long after rotation. */
export function minimumOverlapSeconds(inputs: OverlapInputs): number {
  const { urlTtlSeconds, expiryWindowSeconds, propagationSeconds = KEY_CACHE_SECONDS } = inputs;
  return propagationSeconds + urlTtlSeconds + expiryWindowSeconds;
}
