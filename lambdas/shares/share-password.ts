import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { NotFoundError, TooManyRequestsError, UnauthenticatedError } from '../shared/errors';
import { isShareToken, tokenHash, verifyPassword } from './secrets';
import { assertOpen, type ShareItem } from './share';
import type { ShareStore } from './share-store';

/** Wrong passwords one client may give a link in a window before it answers that client 429 until the window ends. */
export const MAX_WRONG_PASSWORDS = 10;
/**
 * Wrong passwords a link takes in a window from every client together: the ceiling on guesses from many addresses
 * (9,600 a day), high enough that ten guessers are needed to lock a link's recipients out for a window.
 */
export const MAX_LINK_ATTEMPTS = 100;
export const PASSWORD_WINDOW_MS = 15 * 60_000;

/**
 * A link as its token opens it, for viewing (albums' get-shared) or saving from (save-shared): a token that is no
 * token, or that no link has, is a 404; a revoked or expired link a 410; a protected one asks its password.
 */
export async function openShare(
  token: string,
  asked: { password?: string; client?: string },
  now: Date,
  deps: { shares: Pick<ShareStore, 'get' | 'claimAttempt' | 'releaseAttempt'> },
): Promise<ShareItem> {
  if (!isShareToken(token)) throw new NotFoundError('share link not found');
  const share = await deps.shares.get(tokenHash(token));
  if (!share) throw new NotFoundError('share link not found');
  assertOpen(share, now);
  if (share.passwordHash !== undefined) await checkPassword(share, asked, now, deps);
  return share;
}

/**
 * A protected link's password checked: step 2 of opening it (albums' get-shared), and asked of a save from it
 * (save-shared). An attempt is claimed for the client and for the link before scrypt runs.
 */
export async function checkPassword(
  share: ShareItem,
  { password, client }: { password?: string; client?: string },
  now: Date,
  deps: { shares: Pick<ShareStore, 'claimAttempt' | 'releaseAttempt'> },
): Promise<void> {
  if (password === undefined || password === '') {
    throw new UnauthenticatedError('this link is protected: send its password in X-Share-Password');
  }
  const start = Math.floor(now.getTime() / PASSWORD_WINDOW_MS) * PASSWORD_WINDOW_MS;
  const window = new Date(start).toISOString();
  const until = new Date(start + PASSWORD_WINDOW_MS);
  const retryAfter = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const mine = { window, client: clientKey(share.hash, client) };
  const everyone = { window };
  // The client's first: one client's burst is refused there and never spends the link's, which its recipients share.
  if (!(await deps.shares.claimAttempt(share.hash, mine, MAX_WRONG_PASSWORDS, until))) {
    throw new TooManyRequestsError('too many wrong passwords for this link from here: try again later', retryAfter);
  }
  if (!(await deps.shares.claimAttempt(share.hash, everyone, MAX_LINK_ATTEMPTS, until))) {
    await deps.shares.releaseAttempt(share.hash, mine);
    throw new TooManyRequestsError('too many wrong passwords for this link: try again later', retryAfter);
  }
  if (await verifyPassword(password, share.passwordHash as string)) {
    await Promise.all([deps.shares.releaseAttempt(share.hash, mine), deps.shares.releaseAttempt(share.hash, everyone)]);
    return;
  }
  throw new UnauthenticatedError('wrong password for this link');
}

/**
 * Whose attempts these are, as the attempts item names them: the SHA-256 of the link's hash and the client's network
 * (an IPv4 address, or an IPv6 address's /64, which one subscriber usually has whole), never the address itself.
 */
export function clientKey(hash: string, sourceIp: string | undefined): string {
  return createHash('sha256')
    .update(`${hash}\n${networkOf(sourceIp ?? 'unknown')}`)
    .digest('hex')
    .slice(0, 16);
}

function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(ip)) return ip;
  // Expand `::` to zeros, then keep the first four groups.
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
