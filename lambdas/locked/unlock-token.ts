import { createHmac, timingSafeEqual } from 'node:crypto';
import { KEY_ID_PATTERN, type SigningKeySet } from '../renditions/signing-keys';

/*
 * The unlock token `POST /locked/unlock` answers, sent back as `X-Unlock-Token`:
 * `v1.<expires, unix s>.<PIN version>.<key id>.<signature>`, the signature an HMAC-SHA256 of the owner, the expiry
 * and the PIN version under one of the rendition signing keys (renditions/signing-keys.ts: the secret every function
 * that signs or checks a URL already reads), with its own first line so that no rendition signature is a token or
 * the reverse. The owner is not in the token: it is checked as the caller's, so one owner's token opens no other's.
 * A new PIN raises the version, which the check reads from the owner's item: every earlier token stops opening.
 */

/** How long a token opens the folder, when the deployment says nothing (`unlockTokenTtlSeconds`). */
export const DEFAULT_UNLOCK_TTL_SECONDS = 600;

/** What a good token says. */
export interface UnlockToken {
  /** Unix seconds. */
  expires: number;
  pinVersion: number;
}

const TOKEN_PATTERN = /^v1\.(\d{1,12})\.(\d{1,9})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/;

/** A token for `owner`, signed with the newest key (the set's first). */
export function signUnlockToken(owner: string, token: UnlockToken, keys: SigningKeySet): string {
  const key = keys.keys[0];
  if (key === undefined || !KEY_ID_PATTERN.test(key.id)) throw new Error('no signing key to sign an unlock token with');
  const signature = sign(key.secret, owner, token, key.id);
  return `v1.${token.expires}.${token.pinVersion}.${key.id}.${signature}`;
}

/** Why a token opens nothing: its words are the 403's. */
export type TokenRefusal = 'malformed' | 'unknown key' | 'forged' | 'expired';

/**
 * What a token says if it was signed for `owner` by a key of the set and is still good at `now`; else why not. The
 * PIN version is the caller's to compare with the owner's.
 */
export function readUnlockToken(
  text: string,
  owner: string,
  keys: SigningKeySet,
  now: Date,
): UnlockToken | { refused: TokenRefusal } {
  const match = TOKEN_PATTERN.exec(text);
  if (!match) return { refused: 'malformed' };
  const [, exp = '', version = '', kid = '', signature = ''] = match;
  const key = keys.keys.find((candidate) => candidate.id === kid);
  if (key === undefined) return { refused: 'unknown key' };
  const token = { expires: Number(exp), pinVersion: Number(version) };
  const expected = Buffer.from(sign(key.secret, owner, token, kid), 'ascii');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'ascii'))) return { refused: 'forged' };
  if (token.expires <= now.getTime() / 1000) return { refused: 'expired' };
  return token;
}

function sign(secret: string, owner: string, token: UnlockToken, kid: string): string {
  const text = ['image-intel unlock v1', owner, String(token.expires), String(token.pinVersion), kid].join('\n');
  return createHmac('sha256', secret).update(text).digest('base64url');
}
