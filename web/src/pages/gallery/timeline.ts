import type { ImageSummary } from '../../types';

/*
 * The gallery's two orders and the date headers of the timeline. The API sorts `sort=taken` by the date taken (the
 * camera's clock, no zone), else the upload time (UTC), cut to the second, then the id (store/timeline-key.ts): the
 * app sorts and groups by the same key, so a merged poll or a header never disagrees with the server's order.
 */

/** `taken`: the timeline (the default of a plain list); `uploaded`: newest upload first; a search has its own. */
export type GalleryOrder = 'taken' | 'uploaded' | 'search';

/** When an image sorts in the timeline: its date taken, else its upload time, as `YYYY-MM-DDTHH:MM:SS`. */
export function whenOf(item: Pick<ImageSummary, 'takenAt' | 'createdAt'>): string {
  return item.takenAt ?? item.createdAt.slice(0, 19);
}

/**
 * The key an order sorts by, highest first: the timeline's `takenKey`; for a search, its phase (`S` for the sure
 * matches, else the tenth of its weakest likely match's score, as lambdas/search/image-search.ts lists them) then
 * the id; else the id (ULIDs sort by upload).
 */
export function orderKeyOf(order: GalleryOrder): (item: ImageSummary) => string {
  if (order === 'taken') return (item) => `${whenOf(item)}#${item.imageId}`;
  if (order === 'search') return (item) => `${searchPhaseOf(item)}#${item.imageId}`;
  return (item) => item.imageId;
}

/** The fields a word is met in only after every likely match (lambdas/search/posting-match.ts WEAK_FIELDS). */
const WEAK_FIELDS: readonly string[] = ['word', 'camera', 'credit'];

/**
 * `S` for a sure match (listed first), else the tenth (`0` to `9`) of its weakest likely match's score, and `#` (last)
 * for a word met only by the photo's text, its camera or its credits, or a narrower word by its class.
 */
function searchPhaseOf(item: Pick<ImageSummary, 'matchedBy'>): string {
  const weak = (item.matchedBy ?? []).some(
    (match) => WEAK_FIELDS.includes(match.field) || match.through === 'narrower',
  );
  if (weak) return '#';
  const scores = (item.matchedBy ?? []).flatMap((match) => (match.likely ? [match.score ?? 0] : []));
  // Scores are answered floored to hundredths, so their tenth is the server's band.
  return scores.length === 0 ? 'S' : String(Math.floor(Math.min(...scores) * 10 + 1e-9));
}

export interface DateGroup {
  /** `YYYY-MM`: stable across renders, for keys and tests. */
  month: string;
  /** "November 2026", in the user's locale. */
  label: string;
  items: ImageSummary[];
}

/**
 * The timeline's items in runs of one month, in the order given (the API's). The dates are read as they are kept
 * (in UTC, which for a date taken is the camera's own clock), so a photo taken at 23:30 on the 31st is in that
 * month wherever the viewer is.
 */
export function monthGroups(items: readonly ImageSummary[], locale?: string): DateGroup[] {
  const format = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const groups: DateGroup[] = [];
  for (const item of items) {
    const when = whenOf(item);
    const month = when.slice(0, 7);
    const last = groups.at(-1);
    if (last?.month === month) last.items.push(item);
    else groups.push({ month, label: format.format(new Date(`${month}-01T00:00:00Z`)), items: [item] });
  }
  return groups;
}

/** A date taken (`YYYY-MM-DDTHH:MM:SS`, the camera's clock) in words, in the user's locale: "14 July 2019, 18:30". */
export function takenInWords(takenAt: string, locale?: string): string {
  const date = new Date(`${takenAt}Z`);
  if (Number.isNaN(date.getTime())) return takenAt;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date);
}
