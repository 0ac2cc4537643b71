import { useEffect, useState } from 'preact/hooks';

/*
 * The locked folder's unlock token (`POST /locked/unlock`), kept in this module's memory only: never in
 * localStorage or sessionStorage, so a reload, a sign-out (app-pages.tsx forgets it) or its `expiresAt` passing
 * asks the PIN again. Whether the owner has set a PIN at all is no secret, and the API has no route that says so
 * without trying one: the app remembers it in localStorage, per owner, once a PIN was set or found set.
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

/** Who is signed in (app-pages.tsx): another one, or none, and the token is forgotten. */
export function unlockOwner(who: string | undefined): void {
  if ((who ?? '') !== owner) forgetUnlock();
  owner = who ?? '';
}

const pinKey = () => `image-intel.pin-set.${owner}`;

/** Whether the signed-in owner is known to have a PIN (set here, or found set by the API). */
export function pinKnown(): boolean {
  try {
    return localStorage.getItem(pinKey()) === 'yes';
  } catch {
    return false;
  }
}

export function rememberPin(): void {
  try {
    localStorage.setItem(pinKey(), 'yes');
  } catch {
    // Private mode without storage: the app asks again next time, and the API says a PIN is already set.
  }
}

/** A 429's wait, in words. */
export function waitInWords(seconds: number | undefined): string {
  if (!seconds) return 'a moment';
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
