import { useEffect, useState } from 'preact/hooks';

/*
 * The locked folder's unlock token (`POST /locked/unlock`), kept in this module's memory only: never in
 * localStorage or sessionStorage, so a reload, a sign-out (app-pages.tsx forgets it) or its `expiresAt` passing
 * asks the PIN again; the API refuses it under another sign-in too. Whether the owner has set a PIN is the API's
 * answer (`GET /locked/pin`, pages/locked/pin-state.ts), kept here in memory for the signed-in owner.
 */

export interface UnlockToken {
  token: string;
  expiresAt: string;
}

let held: UnlockToken | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

/** The token, while it has not expired. */
export function currentUnlock(): UnlockToken | undefined {
  if (held && Date.parse(held.expiresAt) <= Date.now()) forgetUnlock();
  return held;
}

export function keepUnlock(unlocked: UnlockToken): void {
  held = unlocked;
  if (timer) clearTimeout(timer);
  // setTimeout's longest wait is about 24 days; a token lives minutes.
  timer = setTimeout(forgetUnlock, Math.max(0, Date.parse(unlocked.expiresAt) - Date.now()));
  changed();
}

export function forgetUnlock(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (held === undefined) return;
  held = undefined;
  changed();
}

/** The token now, rendered again when it is kept, forgotten or expires. */
export function useUnlock(): UnlockToken | undefined {
  const [, render] = useState(0);
  useEffect(() => {
    const listener = () => render((count) => count + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return currentUnlock();
}

let owner = '';
/** Whether the signed-in owner has a PIN, once the API said (or they set one here); undefined before. */
let pinSet: boolean | undefined;

/** Who is signed in (app-pages.tsx): another one, or none, and the token and what is known of the PIN are forgotten. */
export function unlockOwner(who: string | undefined): void {
  if ((who ?? '') !== owner) {
    forgetUnlock();
    pinSet = undefined;
  }
  owner = who ?? '';
}

/** Whether the signed-in owner has a PIN, as far as this page knows yet. */
export function knownPin(): boolean | undefined {
  return pinSet;
}

/** The API said whether there is a PIN, or one was set or found set here. */
export function rememberPin(set = true): void {
  pinSet = set;
}

/** A 429's wait, in words. */
export function waitInWords(seconds: number | undefined): string {
  if (!seconds) return 'a moment';
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
