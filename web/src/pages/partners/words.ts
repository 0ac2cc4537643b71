import { appPath } from '../../config';
import type { PartnerGrant } from '../../types';

/* Partners in words and links, for the Partners and Shared with me pages. */

/** The Shared with me page of one partner's photos, or of all of them merged. */
export function sharedWithMePath(grantor?: string): string {
  const path = appPath('shared-with-me');
  return grantor === undefined ? path : `${path}?${new URLSearchParams({ partner: grantor })}`;
}

/** What a grant covers, in words: the whole library, from a date, chosen albums (by name where the caller has them). */
export function scopeInWords(grant: PartnerGrant, names: ReadonlyMap<string, string> = new Map()): string {
  const from = grant.from ? `taken from ${formatFrom(grant.from)} on` : '';
  if (grant.albums) {
    const count = grant.albums.length;
    const named = grant.albums.flatMap((id) => names.get(id) ?? []);
    const listed = named.length === count ? ` (${named.join(', ')})` : '';
    return `Photos in ${count} album${count === 1 ? '' : 's'}${listed}${from ? `, ${from}` : ''}`;
  }
  return from ? `Photos ${from}` : 'The whole library';
}

/** `2024-05-01T00:00:00` (the timeline's local time) as the day, or the day and time when it has one. */
function formatFrom(from: string): string {
  return from.endsWith('T00:00:00') ? from.slice(0, 10) : from.replace('T', ' ');
}
