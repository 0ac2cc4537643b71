import type { Album, Share } from '../../types';

/** How many photos an album holds, in words; a smart album's are whatever its search finds. */
export function albumCount(album: Pick<Album, 'kind' | 'count'>): string {
  if (album.kind === 'smart') return 'Smart album';
  return `${album.count} photo${album.count === 1 ? '' : 's'}`;
}

/** A link's state in words: open (until when), expired, or revoked. */
export function shareStateInWords(
  share: Pick<Share, 'state' | 'expiresAt' | 'revokedAt'>,
  date: (iso: string) => string,
) {
  if (share.state === 'revoked') return `Revoked${share.revokedAt ? ` ${date(share.revokedAt)}` : ''}`;
  if (share.state === 'expired') return `Expired${share.expiresAt ? ` ${date(share.expiresAt)}` : ''}`;
  return share.expiresAt ? `Open until ${date(share.expiresAt)}` : 'Open, no expiry';
}

/** The expiries the share dialog offers, in days (0: never); the API takes up to a year. */
export const EXPIRY_CHOICES: ReadonlyArray<{ days: number; label: string }> = [
  { days: 1, label: 'In a day' },
  { days: 7, label: 'In a week' },
  { days: 30, label: 'In 30 days' },
  { days: 90, label: 'In 90 days' },
  { days: 0, label: 'Never' },
];

/** The expiry a choice means, from `now`: an ISO time, or undefined for never. */
export function expiryAt(days: number, now = Date.now()): string | undefined {
  return days > 0 ? new Date(now + days * 86_400_000).toISOString() : undefined;
}
