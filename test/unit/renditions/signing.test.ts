import { canonicalQuery, specFromQuery } from '../../../lambdas/renditions/query';
import { renditionExpiry, signRendition, verifyRendition } from '../../../lambdas/renditions/signing';
import { EXPIRY_WINDOW_SECONDS, minimumOverlapSeconds } from '../../../lambdas/renditions/signing-contract';
import {
  nextKeySet,
  parseSigningKeySet,
  type SigningKeySet,
  signingKey,
} from '../../../lambdas/renditions/signing-keys';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { renditionLimitsOf } from '../../../lambdas/settings/renditions';
import { BadRequestError, ForbiddenError } from '../../../lambdas/shared/errors';

const IMAGE_ID = '01J0000000000000000000000A';
const OTHER_ID = '01J0000000000000000000000B';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const KEYS: SigningKeySet = {
  keys: [
    { id: 'k2', secret: 'b'.repeat(64), created: '2026-02-01T00:00:00.000Z' },
    { id: 'k1', secret: 'a'.repeat(64), created: '2026-01-01T00:00:00.000Z' },
  ],
};
const [K2, K1] = KEYS.keys as [SigningKeySet['keys'][0], SigningKeySet['keys'][0]];
const SPEC = 'w=400&h=300&crop=10,20,300,200&format=webp';
const EXPIRES = NOW_S + 3600;

/** Split a signed URL into what verifyRendition takes. */
function parts(url: string): [string, string] {
  const at = url.indexOf('?');
  return [url.slice(0, at), url.slice(at + 1)];
}
const signed = (query = SPEC, expires = EXPIRES, key = K2, imageId = IMAGE_ID) =>
  parts(signRendition({ imageId, query, expires, key }));

/** The message of the error of `type` that `run` throws (fails the test if it throws nothing or something else). */
function thrown(type: abstract new (...args: never[]) => Error, run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}
/** A 403: what only the key can tell, or a URL that is not signed. */
const forbidden = (run: () => unknown) => thrown(ForbiddenError, run);
/** A 400: a query not in the grammar the API writes. */
const badRequest = (run: () => unknown) => thrown(BadRequestError, run);

describe('signRendition', () => {
  it('appends exp, kid and a base64url HMAC-SHA256 to the path and spec', () => {
    const url = signRendition({ imageId: IMAGE_ID, query: SPEC, expires: EXPIRES, key: K2 });
    expect(url).toMatch(new RegExp(`^/${IMAGE_ID}\\?${SPEC}&exp=${EXPIRES}&kid=k2&sig=[A-Za-z0-9_-]{43}$`));
  });

  it('signs the default spec, which has an empty query', () => {
    const url = signRendition({ imageId: IMAGE_ID, query: '', expires: EXPIRES, key: K2 });
    expect(url).toMatch(new RegExp(`^/${IMAGE_ID}\\?exp=${EXPIRES}&kid=k2&sig=`));
    expect(verifyRendition(...parts(url), KEYS, NOW).query).toBe('');
  });

  it('gives one URL to everyone asking for one spec in one expiry window', () => {
    const first = renditionExpiry(new Date('2026-03-01T12:00:01Z'), 3600);
    const second = renditionExpiry(new Date('2026-03-01T12:04:59Z'), 3600);
    expect(second).toBe(first);
    expect(signRendition({ imageId: IMAGE_ID, query: SPEC, expires: first, key: K2 })).toBe(
      signRendition({ imageId: IMAGE_ID, query: SPEC, expires: second, key: K2 }),
    );
  });

  it('rounds expiry up to the window, never below the TTL', () => {
    for (const seconds of [0, 1, 299, 300, 301, 12_345]) {
      const now = new Date(NOW.getTime() + seconds * 1000 + 250);
      const expires = renditionExpiry(now, 3600);
      expect(expires % EXPIRY_WINDOW_SECONDS).toBe(0);
      expect(expires).toBeGreaterThanOrEqual(now.getTime() / 1000 + 3600);
      expect(expires).toBeLessThan(now.getTime() / 1000 + 3600 + EXPIRY_WINDOW_SECONDS + 1);
    }
    expect(renditionExpiry(NOW, 10, 60)).toBe(NOW_S + 60);
    expect(() => renditionExpiry(NOW, 0)).toThrow(/ttlSeconds/);
    expect(() => renditionExpiry(NOW, 10, 0)).toThrow(/windowSeconds/);
  });

  it.each([
    ['an empty pair', 'w=400&&h=300', 'an empty parameter (a stray &)'],
    ['a percent-encoded name', '%77=400', '"%77" is not a parameter name as the API writes it'],
    ['a name twice', 'w=400&w=500', 'w is given more than once'],
    ['a name outside the grammar', 'w=400&width=500', '"width=500" is not a parameter of the grammar'],
    ['the names out of canonical order', 'h=300&w=400', 'the parameters are not in canonical order'],
    ['a signature parameter in the spec', 'w=400&exp=1', 'exp is given more than once'],
  ])('refuses to sign a query that is not canonical: %s', (_, query, problem) => {
    expect(() => signRendition({ imageId: IMAGE_ID, query, expires: EXPIRES, key: K2 })).toThrow(
      `query: ${problem}: sign the spec as canonicalQuery writes it`,
    );
  });

  it('refuses to sign for something that is not an image id', () => {
    expect(() => signRendition({ imageId: '../etc', query: '', expires: EXPIRES, key: K2 })).toThrow(/imageId/);
  });
});

describe('verifyRendition', () => {
  it('accepts a URL it signed and returns its parts', () => {
    expect(verifyRendition(...signed(), KEYS, NOW)).toEqual({
      imageId: IMAGE_ID,
      query: SPEC,
      expires: EXPIRES,
      kid: 'k2',
    });
  });

  it('returns a query the spec parser reads back to the signed spec', () => {
    const limits = renditionLimitsOf(DEFAULT_SETTINGS);
    const spec = specFromQuery('preset=card&q=70', limits, DEFAULT_SETTINGS.renditionPresets);
    const verified = verifyRendition(...signed(canonicalQuery(spec)), KEYS, NOW);
    expect(specFromQuery(verified.query, limits)).toEqual(spec);
  });

  it('accepts a URL signed with an older key still in the set', () => {
    expect(verifyRendition(...signed(SPEC, EXPIRES, K1), KEYS, NOW).kid).toBe('k1');
  });

  it.each<[string, (query: string) => string, string]>([
    [
      'a percent-encoded name',
      (query) => query.replace('w=400', '%77=400'),
      '"%77" is not a parameter name as the API writes it',
    ],
    ['an empty pair', (query) => query.replace('&h=', '&&h='), 'an empty parameter (a stray &)'],
    ['a trailing &', (query) => `${query}&`, 'an empty parameter (a stray &)'],
    ['a parameter twice', (query) => `w=400&${query}`, 'w is given more than once'],
    [
      'the signature first',
      (query) => [...query.split('&').slice(-3), ...query.split('&').slice(0, -3)].join('&'),
      'exp, kid and sig must close the URL, in that order',
    ],
    [
      'kid before exp',
      (query) => query.replace(/exp=(\d+)&kid=(\w+)/, 'kid=$2&exp=$1'),
      'exp, kid and sig must close the URL, in that order',
    ],
    [
      'a name in capitals',
      (query) => query.replace('w=400', 'W=400'),
      '"W" is not a parameter name as the API writes it',
    ],
    ['a leading &', (query) => `&${query}`, 'an empty parameter (a stray &)'],
  ])('refuses another spelling of the same URL with 400: %s', (_, change, problem) => {
    const [path, query] = signed();
    expect(badRequest(() => verifyRendition(path, change(query), KEYS, NOW))).toBe(
      `query: ${problem}; use the URL exactly as the API gave it`,
    );
  });

  it('refuses a signature whose last character differs only in its unused bits', () => {
    const [path, query] = signed();
    const sig = /sig=([^&]+)/.exec(query)?.[1] as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.slice(-1));
    // 32 bytes are 43 characters: the last carries 4 bits and two that decoding ignores.
    const twin = `${sig.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    expect(forbidden(() => verifyRendition(path, query.replace(sig, twin), KEYS, NOW))).toMatch(/^sig: does not match/);
  });

  it.each<[string, (query: string) => string]>([
    ['a changed parameter', (query) => query.replace('w=400', 'w=4000')],
    ['an added parameter', (query) => `blur=5&${query}`],
    ['a removed parameter', (query) => query.replace('&format=webp', '')],
    ['reordered parameters', (query) => query.replace('w=400&h=300', 'h=300&w=400')],
    ['a later expiry', (query) => query.replace(`exp=${EXPIRES}`, `exp=${EXPIRES + 3600}`)],
    ['a flag spelled another way', (query) => `flip=&${query}`],
    ['the other key id', (query) => query.replace('kid=k2', 'kid=k1')],
    ['another signature of the right length', (query) => query.replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`)],
    ['another percent-encoding of a value', (query) => query.replace('format=webp', 'format=%77ebp')],
  ])('refuses %s as a bad signature', (_, change) => {
    const [path, query] = signed();
    expect(forbidden(() => verifyRendition(path, change(query), KEYS, NOW))).toBe(
      'sig: does not match this URL (a parameter, their order or the image was changed)',
    );
  });

  it('refuses the URL of one image used for another', () => {
    const [, query] = signed();
    expect(forbidden(() => verifyRendition(`/${OTHER_ID}`, query, KEYS, NOW))).toMatch(/^sig: does not match/);
  });

  it('refuses an unsigned URL, naming what is missing', () => {
    expect(forbidden(() => verifyRendition(`/${IMAGE_ID}`, SPEC, KEYS, NOW))).toBe(
      'exp, kid, sig: missing; rendition URLs are signed by the API (GET /images/{id}, POST /images/{id}/renditions)',
    );
    const [path, query] = signed();
    expect(forbidden(() => verifyRendition(path, query.replace(/&sig=[^&]+/, ''), KEYS, NOW))).toMatch(/^sig: missing/);
  });

  it('refuses an unknown key id', () => {
    const [path, query] = signed();
    expect(forbidden(() => verifyRendition(path, query.replace('kid=k2', 'kid=k9'), KEYS, NOW))).toBe(
      'kid: no signing key k9 (retired, or never issued): ask the API for a new URL',
    );
  });

  it('refuses an expired URL, and one expiring this very second', () => {
    const [path, query] = signed();
    expect(forbidden(() => verifyRendition(path, query, KEYS, new Date((EXPIRES + 1) * 1000)))).toBe(
      'exp: this URL expired at 2026-03-01T13:00:00.000Z: ask the API for a new one',
    );
    expect(forbidden(() => verifyRendition(path, query, KEYS, new Date(EXPIRES * 1000)))).toMatch(
      /^exp: this URL expired/,
    );
    expect(verifyRendition(path, query, KEYS, new Date(EXPIRES * 1000 - 1)).expires).toBe(EXPIRES);
  });

  it('refuses an expiry further ahead than the deployment issues', () => {
    const [path, query] = signed(SPEC, NOW_S + 30 * 24 * 3600);
    expect(forbidden(() => verifyRendition(path, query, KEYS, NOW, { maxLifetimeSeconds: 3900 }))).toBe(
      "exp: more than 3900 s ahead, longer than this deployment's URLs live",
    );
    expect(verifyRendition(...signed(), KEYS, NOW, { maxLifetimeSeconds: 3900 }).expires).toBe(EXPIRES);
  });

  it.each<[string, string, string, RegExp]>([
    [
      'a path that is not an image id',
      '/uploads/x.jpg',
      `${SPEC}&exp=1&kid=k2&sig=x`,
      /^path: not a rendition address/,
    ],
    ['an expiry that is not a number', `/${IMAGE_ID}`, 'exp=soon&kid=k2&sig=x', /^exp: not an expiry time/],
    ['a key id with odd characters', `/${IMAGE_ID}`, 'exp=1&kid=%00&sig=x', /^kid: not a key id$/],
    ['a signature of the wrong length', `/${IMAGE_ID}`, 'exp=1&kid=k2&sig=abc', /^sig: not a signature/],
    [
      'malformed percent-encoding (signed as it arrived, so it cannot match)',
      `/${IMAGE_ID}`,
      `w=%E0%A4%A&exp=1&kid=k2&sig=${'A'.repeat(43)}`,
      /^sig: does not match/,
    ],
    ['a query too long to be signed', `/${IMAGE_ID}`, `w=${'1'.repeat(5000)}`, /^query: 5002 characters/],
  ])('refuses %s', (_, path, query, message) => {
    expect(forbidden(() => verifyRendition(path, query, KEYS, NOW))).toMatch(message);
  });

  it('refuses a repeated signature parameter with 400, as a query out of the grammar', () => {
    expect(badRequest(() => verifyRendition(`/${IMAGE_ID}`, 'exp=1&exp=2&kid=k2&sig=x', KEYS, NOW))).toBe(
      'query: exp is given more than once; use the URL exactly as the API gave it',
    );
  });
});

describe('signing across a key rotation', () => {
  const ttl = 3600;
  const overlapSeconds = minimumOverlapSeconds({ urlTtlSeconds: ttl, expiryWindowSeconds: EXPIRY_WINDOW_SECONDS });
  const initial = parseSigningKeySet(JSON.stringify({ secret: 'i'.repeat(64) }));
  const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
  /** What a signer with this set issues at `now`. */
  const issue = (set: SigningKeySet, now: Date) =>
    parts(
      signRendition({ imageId: IMAGE_ID, query: SPEC, expires: renditionExpiry(now, ttl), key: signingKey(set, now) }),
    );

  it('keeps the last URL signed with the old key valid until it expires', () => {
    const rotated = nextKeySet(initial, NOW, 'n'.repeat(64), { overlapSeconds, id: 'next' });
    // Just before the new key has propagated, signers still use the old one, and every verifier knows it.
    const [path, query] = issue(rotated, at(299));
    expect(verifyRendition(path, query, initial, at(299)).kid).toBe('initial');
    const expires = verifyRendition(path, query, rotated, at(299)).expires;
    // A rotation at the end of the overlap still holds the old key for that URL's whole life.
    const again = nextKeySet(rotated, at(overlapSeconds - 1), 'm'.repeat(64), { overlapSeconds, id: 'again' });
    expect(verifyRendition(path, query, again, new Date(expires * 1000 - 1000)).kid).toBe('initial');
  });

  it('signs with the new key once it has propagated, and verifiers that read the new set accept it', () => {
    const rotated = nextKeySet(initial, NOW, 'n'.repeat(64), { overlapSeconds, id: 'next' });
    const [path, query] = issue(rotated, at(300));
    expect(verifyRendition(path, query, rotated, at(300)).kid).toBe('next');
  });

  it('refuses a URL of a key retired after the overlap', () => {
    const [path, query] = issue(initial, NOW);
    const rotated = nextKeySet(initial, NOW, 'n'.repeat(64), { overlapSeconds, id: 'next' });
    const retired = nextKeySet(rotated, at(overlapSeconds), 'm'.repeat(64), { overlapSeconds, id: 'third' });
    expect(retired.keys.map((key) => key.id)).toEqual(['third', 'next']);
    expect(forbidden(() => verifyRendition(path, query, retired, NOW))).toMatch(/^kid: no signing key initial/);
  });
});
