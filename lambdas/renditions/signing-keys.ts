import { z } from 'zod';
import { KEY_CACHE_SECONDS } from './signing-contract';

/**
 * The keys that sign rendition URLs, as one Secrets Manager secret holds them. Pure: reading and writing the secret
 * is the caller's (signers and the rendition function read it through key-secret.ts, the rotation function writes it).
 *
 * The secret has two shapes. At creation Secrets Manager generates the value itself (CDK `generateSecretString`
 * with `generateStringKey: 'secret'`), so no key ever appears in the template, the code or a deploy log:
 * `{"secret":"<64 letters and digits>"}`, read as one key `initial` created at the epoch. Every rotation writes
 * `{"keys":[{"id","secret","created"}, ...]}`, newest first, which is `JSON.stringify` of a `SigningKeySet`.
 *
 * Why a set and not one key: a signer and a verifier each cache the secret for a while, and a URL stays valid until
 * its expiry, so during a rotation old and new keys must both verify. The timeline for a key made at T:
 * - T to T + propagation: verifiers may not know it yet, so signers keep signing with the previous key
 *   (`signingKey` picks the newest key at least `propagationSeconds` old; propagation >= the key cache age);
 * - from T + propagation: signers use it; the last URL signed with the previous key expires by
 *   T + propagation + the URL lifetime (TTL + the expiry rounding window);
 * - the previous key may then go: `nextKeySet` drops a key once its successor is `overlapSeconds` old, with
 *   overlap >= `minimumOverlapSeconds(...)`.
 */

/** The id the generated first value is given; its creation time is the epoch, so it is old enough at once. */
export const INITIAL_KEY_ID = 'initial';
const EPOCH = new Date(0).toISOString();

/** Shorter secrets are refused: HMAC-SHA256 wants at least 256 bits, and 32 random letters and digits hold ~190. */
const MIN_SECRET_CHARS = 32;
/** Keys at most: with a 30-day rotation and a 7-day overlap there are two; 32 is far above any sane schedule. */
const MAX_KEYS = 32;

/** Key ids travel in URLs (`kid=`) unencoded. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const SecretSchema = z
  .string({ error: 'must be a string' })
  .min(MIN_SECRET_CHARS, `must be at least ${MIN_SECRET_CHARS} characters`)
  .max(1024, 'must be at most 1024 characters');

export const SigningKeySchema = z.strictObject({
  id: z.string({ error: 'must be a string' }).regex(KEY_ID_PATTERN, '1 to 64 letters, digits, _ or -'),
  secret: SecretSchema,
  /** ISO 8601 time the key was made; signers wait `propagationSeconds` after it before using the key. */
  created: z.iso.datetime({ error: 'must be an ISO 8601 time in UTC, such as 2026-01-31T12:00:00.000Z' }),
});
export type SigningKey = z.output<typeof SigningKeySchema>;

const RotatedKeySetSchema = z.strictObject({
  keys: z
    .array(SigningKeySchema)
    .min(1, 'at least one key')
    .max(MAX_KEYS, `at most ${MAX_KEYS} keys`)
    .superRefine((keys, context) => {
      const problem = keyListProblem(keys);
      if (problem) context.addIssue({ code: 'custom', input: keys.length, message: problem });
    }),
});

const GeneratedKeySetSchema = z
  .strictObject({ secret: SecretSchema })
  .transform(({ secret }): SigningKeySet => ({ keys: [{ id: INITIAL_KEY_ID, secret, created: EPOCH }] }));

/**
 * Either shape of the secret's value (see the module comment), always read as a list of keys, newest first. The
 * shape is chosen by the `keys` field rather than by a union, so an error names the bad field of that shape.
 */
export const SigningKeySetSchema = z.unknown().transform((value, context): SigningKeySet => {
  const rotated = typeof value === 'object' && value !== null && 'keys' in value;
  const parsed = (rotated ? RotatedKeySetSchema : GeneratedKeySetSchema).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    context.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: undefined });
  }
  return z.NEVER;
});
export interface SigningKeySet {
  /** Newest first. */
  keys: SigningKey[];
}

/** Duplicate ids would make `kid` ambiguous; disorder would make `signingKey` pick the wrong one. */
function keyListProblem(keys: readonly SigningKey[]): string | undefined {
  const ids = new Set<string>();
  for (const [i, key] of keys.entries()) {
    if (ids.has(key.id)) return `key id ${key.id} is given twice: ids must be unique`;
    ids.add(key.id);
    const newer = keys[i - 1];
    if (newer && Date.parse(newer.created) < Date.parse(key.created)) {
      return `keys must be newest first: ${newer.id} (${newer.created}) comes before the newer ${key.id}`;
    }
  }
  return undefined;
}

/**
 * The secret's string value as a key set. The error names what is wrong, never a secret: it may end in a log.
 */
export function parseSigningKeySet(secretString: string): SigningKeySet {
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    throw new Error('signing key secret: not JSON');
  }
  const parsed = SigningKeySetSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`signing key secret: ${problems.join('; ')}`);
}

/** The key signers use now: the newest one every verifier's cache already holds, else the oldest one. */
export function signingKey(set: SigningKeySet, now: Date, propagationSeconds: number = KEY_CACHE_SECONDS): SigningKey {
  const settled = set.keys.find((key) => now.getTime() - Date.parse(key.created) >= propagationSeconds * 1000);
  const oldest = set.keys.at(-1);
  const key = settled ?? oldest;
  if (key === undefined) throw new Error('signing key set: no keys');
  return key;
}

export interface NextKeySetOptions {
  /** Seconds an old key is kept after its successor was made; at least `minimumOverlapSeconds(...)`. */
  overlapSeconds: number;
  /** The new key's id. Default: its creation time to the second, such as `20260131T120000Z`. */
  id?: string;
}

/**
 * The set after a rotation at `now`: the new key first, then the keys a URL may still be signed with. The key
 * the new one replaces is always kept (signers use it until the new one has propagated); an older key goes once
 * its own successor is `overlapSeconds` old, since every URL signed with it has expired by then.
 */
export function nextKeySet(
  set: SigningKeySet,
  now: Date,
  newSecret: string,
  options: NextKeySetOptions,
): SigningKeySet {
  const { overlapSeconds, id = keyIdAt(now) } = options;
  if (!Number.isFinite(overlapSeconds) || overlapSeconds < 0) {
    throw new Error(`overlapSeconds: must be a number of seconds >= 0, got ${overlapSeconds}`);
  }
  const newest = set.keys[0];
  if (newest && Date.parse(newest.created) > now.getTime()) {
    throw new Error(`rotation at ${now.toISOString()} is before the newest key ${newest.id} (${newest.created})`);
  }
  if (set.keys.some((key) => key.id === id)) throw new Error(`key id ${id} is already in the set`);
  const key = SigningKeySchema.parse({ id, secret: newSecret, created: now.toISOString() });
  const kept = set.keys.filter((_, i) => {
    const successor = set.keys[i - 1];
    return successor === undefined || now.getTime() - Date.parse(successor.created) < overlapSeconds * 1000;
  });
  // Dropping a key that still verifies live URLs would be silent breakage; failing leaves the set as it is, and a
  // later rotation succeeds once the oldest keys have aged out.
  if (kept.length + 1 > MAX_KEYS) {
    throw new Error(
      `rotation would keep ${kept.length + 1} keys, over ${MAX_KEYS}: rotate less often than the overlap`,
    );
  }
  return { keys: [key, ...kept] };
}

/** `2026-01-31T12:00:00.123Z` → `20260131T120000Z`: sortable, readable in logs, safe in a URL. */
export function keyIdAt(time: Date): string {
  return time
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
}
