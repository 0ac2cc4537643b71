import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/*
 * A share link's secrets: its token (the link itself) and its optional password. Neither is ever stored as given:
 * the table keys a link by its token's hash, and keeps a password only as a salted scrypt hash.
 */

/** 32 random bytes (256 bits), base64url: 43 characters, nothing to guess. */
export function newShareToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What `newShareToken` makes, and only that: anything else is no link (a 404, without a read). */
export function isShareToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The token's SHA-256 (hex): the link's key in the table. A 256-bit random token needs no salt or slow hash. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The id a link is named by where its token must not be (events, logs, `GET /shares`, a revoke): the first 16 hex
 * digits of its hash, which open nothing.
 */
export function shareIdOf(hash: string): string {
  return hash.slice(0, 16);
}

/** What `shareIdOf` makes, and only that. */
export function isShareId(value: string): boolean {
  return /^[0-9a-f]{16}$/.test(value);
}

/** scrypt's cost: 16 MiB and about 50 ms a check on a Lambda core, so a stolen table's hashes are slow to try. */
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const cost = options.N ?? SCRYPT.N;
    const blockSize = options.r ?? SCRYPT.r;
    // Node refuses more than 32 MiB by default; a stored hash's own parameters say how much it needs.
    const maxmem = 256 * cost * blockSize + 1024 * 1024;
    scrypt(password, salt, KEY_BYTES, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$<salt>$<hash>` (base64url), a fresh 16-byte salt each time. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether `password` is the one `stored` was made from, compared in constant time. A stored value this code did not
 * write (another scheme, parameters out of range) matches nothing.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const [N, rr, pp] = [Number(n), Number(r), Number(p)];
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  if (![N, rr, pp].every(Number.isInteger) || N < 2 || N > 2 ** 20 || rr < 1 || rr > 32 || pp < 1 || pp > 16) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N, r: rr, p: pp });
  return timingSafeEqual(key, expected);
}
