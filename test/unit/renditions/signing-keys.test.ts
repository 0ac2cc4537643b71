import { KEY_CACHE_SECONDS, minimumOverlapSeconds } from '../../../lambdas/renditions/signing-contract';
import {
  INITIAL_KEY_ID,
  keyIdAt,
  nextKeySet,
  parseSigningKeySet,
  type SigningKeySet,
  SigningKeySetSchema,
  signingKey,
} from '../../../lambdas/renditions/signing-keys';

const SECRET_A = 'a'.repeat(64);
const SECRET_B = 'b'.repeat(64);
const SECRET_C = 'c'.repeat(64);
const DAY = 24 * 3600 * 1000;
const T0 = new Date('2026-03-01T00:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe('signing key set', () => {
  it('reads the value Secrets Manager generates as one key created at the epoch', () => {
    const set = parseSigningKeySet(JSON.stringify({ secret: SECRET_A }));
    expect(set).toEqual({ keys: [{ id: INITIAL_KEY_ID, secret: SECRET_A, created: '1970-01-01T00:00:00.000Z' }] });
  });

  it('reads a rotated set, newest first', () => {
    const keys = [
      { id: 'k2', secret: SECRET_B, created: '2026-02-01T00:00:00.000Z' },
      { id: 'k1', secret: SECRET_A, created: '2026-01-01T00:00:00.000Z' },
    ];
    expect(SigningKeySetSchema.parse({ keys })).toEqual({ keys });
  });

  it('writes a set that reads back unchanged', () => {
    const set = nextKeySet(parseSigningKeySet(JSON.stringify({ secret: SECRET_A })), T0, SECRET_B, {
      overlapSeconds: 3600,
    });
    expect(parseSigningKeySet(JSON.stringify(set))).toEqual(set);
  });

  it.each([
    ['not JSON', '{secret', /not JSON/],
    ['a short secret', JSON.stringify({ secret: 'short' }), /secret: must be at least 32 characters/],
    ['neither shape', JSON.stringify({ key: SECRET_A }), /Unrecognized key/],
    ['an empty key list', JSON.stringify({ keys: [] }), /at least one key/],
    [
      'a duplicated id',
      JSON.stringify({
        keys: [
          { id: 'k', secret: SECRET_A, created: '2026-01-01T00:00:00.000Z' },
          { id: 'k', secret: SECRET_B, created: '2026-01-01T00:00:00.000Z' },
        ],
      }),
      /k is given twice/,
    ],
    [
      'keys oldest first',
      JSON.stringify({
        keys: [
          { id: 'old', secret: SECRET_A, created: '2026-01-01T00:00:00.000Z' },
          { id: 'new', secret: SECRET_B, created: '2026-02-01T00:00:00.000Z' },
        ],
      }),
      /newest first/,
    ],
    [
      'a key id that needs URL encoding',
      JSON.stringify({ keys: [{ id: 'a b', secret: SECRET_A, created: '2026-01-01T00:00:00.000Z' }] }),
      /keys\.0\.id: 1 to 64 letters/,
    ],
    [
      'a creation time that is not ISO 8601',
      JSON.stringify({ keys: [{ id: 'k', secret: SECRET_A, created: 'yesterday' }] }),
      /keys\.0\.created: must be an ISO 8601 time/,
    ],
  ])('refuses %s with a message that names the problem', (_, text, message) => {
    expect(() => parseSigningKeySet(text)).toThrow(message);
  });

  it('never puts a secret in its error messages', () => {
    const text = JSON.stringify({ keys: [{ id: 'a b', secret: SECRET_C, created: 'x' }] });
    expect(() => parseSigningKeySet(text)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('ccc') }),
    );
  });
});

describe('signingKey', () => {
  const set: SigningKeySet = {
    keys: [
      { id: 'new', secret: SECRET_B, created: T0.toISOString() },
      { id: 'old', secret: SECRET_A, created: '2026-01-01T00:00:00.000Z' },
    ],
  };

  it('keeps signing with the previous key while verifiers may not know the new one', () => {
    expect(signingKey(set, later(299_000), 300).id).toBe('old');
  });

  it('signs with the new key once it is propagationSeconds old', () => {
    expect(signingKey(set, later(300_000), 300).id).toBe('new');
  });

  it('falls back to the oldest key when none is old enough', () => {
    const fresh: SigningKeySet = {
      keys: [
        { id: 'b', secret: SECRET_B, created: T0.toISOString() },
        { id: 'a', secret: SECRET_A, created: later(-1000).toISOString() },
      ],
    };
    expect(signingKey(fresh, T0, 300).id).toBe('a');
  });

  it('uses the generated first key at once, since it dates from the epoch', () => {
    expect(signingKey(parseSigningKeySet(JSON.stringify({ secret: SECRET_A })), T0).id).toBe(INITIAL_KEY_ID);
  });

  it('waits the key cache age by default', () => {
    expect(signingKey(set, later(KEY_CACHE_SECONDS * 1000 - 1)).id).toBe('old');
    expect(signingKey(set, later(KEY_CACHE_SECONDS * 1000)).id).toBe('new');
  });
});

describe('nextKeySet', () => {
  const overlapSeconds = minimumOverlapSeconds({ urlTtlSeconds: 3600, expiryWindowSeconds: 300 });
  const initial = parseSigningKeySet(JSON.stringify({ secret: SECRET_A }));

  it('needs an overlap of propagation + URL lifetime + expiry window', () => {
    expect(overlapSeconds).toBe(KEY_CACHE_SECONDS + 3600 + 300);
    expect(minimumOverlapSeconds({ urlTtlSeconds: 60, expiryWindowSeconds: 0, propagationSeconds: 10 })).toBe(70);
  });

  it('puts the new key first, named for its creation time, and keeps the one it replaces', () => {
    const next = nextKeySet(initial, T0, SECRET_B, { overlapSeconds });
    expect(next.keys.map((key) => key.id)).toEqual(['20260301T000000Z', INITIAL_KEY_ID]);
    expect(next.keys[0]).toEqual({ id: '20260301T000000Z', secret: SECRET_B, created: T0.toISOString() });
  });

  it('keeps an older key while its successor is younger than the overlap', () => {
    const second = nextKeySet(initial, T0, SECRET_B, { overlapSeconds, id: 'b' });
    const third = nextKeySet(second, later(overlapSeconds * 1000 - 1), SECRET_C, { overlapSeconds, id: 'c' });
    expect(third.keys.map((key) => key.id)).toEqual(['c', 'b', INITIAL_KEY_ID]);
  });

  it('drops an older key once its successor is as old as the overlap', () => {
    const second = nextKeySet(initial, T0, SECRET_B, { overlapSeconds, id: 'b' });
    const third = nextKeySet(second, later(30 * DAY), SECRET_C, { overlapSeconds, id: 'c' });
    expect(third.keys.map((key) => key.id)).toEqual(['c', 'b']);
  });

  it('keeps every key a live URL could be signed with, over a year of monthly rotations', () => {
    let set = initial;
    const ttlMs = 3600 * 1000 + 300 * 1000;
    for (let month = 0; month < 12; month++) {
      const now = later(month * 30 * DAY);
      // The last URL the current signer may issue before the new key has propagated, still valid at the latest.
      const lastSigner = signingKey(set, new Date(now.getTime() + KEY_CACHE_SECONDS * 1000 - 1));
      set = nextKeySet(set, now, String(month).padStart(64, 'x'), { overlapSeconds, id: `m${month}` });
      expect(set.keys.map((key) => key.id)).toContain(lastSigner.id);
      const verifyAt = new Date(now.getTime() + KEY_CACHE_SECONDS * 1000 + ttlMs - 1);
      const laterRotation = nextKeySet(set, verifyAt, 'z'.repeat(64), { overlapSeconds, id: 'probe' });
      expect(laterRotation.keys.map((key) => key.id)).toContain(lastSigner.id);
      expect(set.keys.length).toBeLessThanOrEqual(2);
    }
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => nextKeySet(initial, T0, 'short', { overlapSeconds })).toThrow(/at least 32 characters/);
  });

  it('refuses an id already in the set (two rotations in one second)', () => {
    const next = nextKeySet(initial, T0, SECRET_B, { overlapSeconds });
    expect(() => nextKeySet(next, T0, SECRET_C, { overlapSeconds })).toThrow(/already in the set/);
  });

  it('refuses a rotation dated before the newest key', () => {
    const next = nextKeySet(initial, T0, SECRET_B, { overlapSeconds });
    expect(() => nextKeySet(next, later(-1000), SECRET_C, { overlapSeconds, id: 'c' })).toThrow(/before the newest/);
  });

  it('refuses a negative overlap', () => {
    expect(() => nextKeySet(initial, T0, SECRET_B, { overlapSeconds: -1 })).toThrow(/overlapSeconds/);
  });

  it('fails rather than drop a key that is still needed when rotations outpace the overlap', () => {
    let set = initial;
    for (let i = 1; i < 32; i++) set = nextKeySet(set, later(i * 1000), SECRET_B, { overlapSeconds, id: `k${i}` });
    expect(set.keys).toHaveLength(32);
    expect(() => nextKeySet(set, later(40_000), SECRET_C, { overlapSeconds, id: 'k40' })).toThrow(/over 32/);
  });

  it('names keys by their creation time to the second', () => {
    expect(keyIdAt(new Date('2026-01-31T12:34:56.789Z'))).toBe('20260131T123456Z');
  });
});
