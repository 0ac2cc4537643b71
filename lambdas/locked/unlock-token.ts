import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { KEY_ID_PATTERN, type SigningKeySet } from '../renditions/signing-keys';

/*
 * The unlock token `POST /locked/unlock` answers, sent back as `X-Unlock-Token`:
 * `v2.<expires, unix s>.<PIN version>.<sign-in>.<key id>.<signature>`, the signature an HMAC-SHA256 of the owner,
 * the sign-in, the expiry and the PIN version under one of the rendition signing keys (renditions/signing-keys.ts:
 * the secret every function that signs or checks a URL already reads), with its own first line so that no rendition
 * signature is a token or the reverse. The owner is not in the token: it is checked as the caller's, so one owner's
 * token opens no other's. Nor is the sign-in (api/caller.ts: Cognito's `origin_jti`), only a short digest of it, so
 * that a token made under another sign-in is told apart from a forged one: signing out and in again shuts it.
 * `-` where the auth mode has no sign-in (`apikey`, `none`): there the owner alone binds it. A new PIN raises the
 * version, which the check reads from the owner's item: every earlier token stops opening.
 */

/** How long a token opens the folder, when the deployment says nothing (`unlockTokenTtlSeconds`). */
export const DEFAULT_UNLOCK_TTL_SECONDS = 600;

/** What a good token says. */
export interface UnlockToken {
  /** Unix seconds. */
  expires: number;
  pinVersion: number;
}

/** Whom a token is for: the owner, and the sign-in it was made under where the auth mode has one. */
export interface UnlockHolder {
  owner: string;
  signIn?: string;
}

const TOKEN_PATTERN = /^v2\.(\d{1,12})\.(\d{1,9})\.([A-Za-z0-9_-]{11}|-)\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/;

/** A token for `holder`, signed with the newest key (the set's first). */
export function signUnlockToken(holder: UnlockHolder, token: UnlockToken, keys: SigningKeySet): string {
  const key = keys.keys[0];
  if (key === undefined || !KEY_ID_PATTERN.test(key.id)) throw new Error('no signing key to sign an unlock token with');
  const signature = sign(key.secret, holder, token, key.id);
  return `v2.${token.expires}.${token.pinVersion}.${signInDigest(holder.signIn)}.${key.id}.${signature}`;
}

/** Why a token opens nothing: its words are the 403's. */
export type TokenRefusal = 'malformed' | 'unknown key' | 'another sign-in' | 'forged' | 'expired';

/**
 * What a token says if it was signed for `holder` (its owner, under its sign-in) by a key of the set and is still
 * good at `now`; else why not. The PIN version is the caller's to compare with the owner's.
 */
export function readUnlockToken(
  text: string,
  holder: UnlockHolder,
  keys: SigningKeySet,
  now: Date,
): UnlockToken | { refused: TokenRefusal } {
  const match = TOKEN_PATTERN.exec(text);
  if (!match) return { refused: 'malformed' };
  const [, exp = '', version = '', bound = '', kid = '', signature = ''] = match;
  const key = keys.keys.find((candidate) => candidate.id === kid);
  if (key === undefined) return { refused: 'unknown key' };
  if (bound !== signInDigest(holder.signIn)) return { refused: 'another sign-in' };
  const token = { expires: Number(exp), pinVersion: Number(version) };
  const expected = Buffer.from(sign(key.secret, holder, token, kid), 'ascii');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'ascii'))) return { refused: 'forged' };
  if (token.expires <= now.getTime() / 1000) return { refused: 'expired' };
  return token;
}

/** 11 characters (64 bits) of the sign-in's SHA-256: enough to tell two apart, nothing to sign in with. */
function signInDigest(signIn: string | undefined): string {
  if (signIn === undefined) return '-';
  return createHash('sha256').update(`image-intel sign-in\n${signIn}`).digest('base64url').slice(0, 11);
}

function sign(secret: string, holder: UnlockHolder, token: UnlockToken, kid: string): string {
  const { owner, signIn = '' } = holder;
  const text = ['image-intel unlock v2', owner, signIn, String(token.expires), String(token.pinVersion), kid];
  return createHmac('sha256', secret).update(text.join('\n')).digest('base64url');
}
