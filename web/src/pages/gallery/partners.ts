/*
 * The timeline's "Partners' photos" switch (docs/api.md#partners): on, the timeline is the owner's own with the
 * photos other owners share with them merged in (`GET /images?partners=include`), newest taken first, as the API
 * leaves the choice to each request. The choice stays with the browser (localStorage), where storage is allowed.
 */

/** Where the choice is kept. */
export const PARTNERS_KEY = 'image-intel.gallery.partners';

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The browser's storage, if it has one it lets the page use (private modes may throw on access). */
function browserStorage(): Store | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Whether the owner chose to see their partners' photos in their timeline: off until they do. */
export function partnersChosen(store: Store | undefined = browserStorage()): boolean {
  try {
    return store?.getItem(PARTNERS_KEY) === 'include';
  } catch {
    return false;
  }
}

/** Keeps the choice for the next visit; without storage it lasts the page. */
export function choosePartners(on: boolean, store: Store | undefined = browserStorage()): void {
  try {
    if (on) store?.setItem(PARTNERS_KEY, 'include');
    else store?.removeItem(PARTNERS_KEY);
  } catch {
    // A storage that refuses (full, private mode): the switch still holds for this page.
  }
}

/** The timeline's query: the owner's own (`sort=taken`), or with their partners' photos merged in, same order. */
export function setTimelineQuery(query: URLSearchParams, withPartners: boolean): void {
  if (withPartners) query.set('partners', 'include');
  else query.set('sort', 'taken');
}
