import { requireUnlocked } from '../../../lambdas/locked/lock-check';
import type { OwnerLock } from '../../../lambdas/locked/lock-store';
import { readUnlockToken, signUnlockToken } from '../../../lambdas/locked/unlock-token';
import type { SigningKeySet } from '../../../lambdas/renditions/signing-keys';
import { ForbiddenError } from '../../../lambdas/shared/errors';

const KEYS: SigningKeySet = {
  keys: [{ id: 'k2', secret: 'b'.repeat(40), created: '2026-11-01T00:00:00.000Z' }],
};
const NOW = new Date('2026-11-29T12:00:00.000Z');
const IN_TEN_MINUTES = NOW.getTime() / 1000 + 600;
const ANN = { owner: 'ann' };
const ANN_SIGNED_IN = { owner: 'ann', signIn: 'jti:first' };

describe('an unlock token', () => {
  const token = signUnlockToken(ANN, { expires: IN_TEN_MINUTES, pinVersion: 3 }, KEYS);

  it('reads back for its owner until it expires', () => {
    expect(readUnlockToken(token, ANN, KEYS, NOW)).toEqual({ expires: IN_TEN_MINUTES, pinVersion: 3 });
    expect(readUnlockToken(token, ANN, KEYS, new Date(IN_TEN_MINUTES * 1000))).toEqual({ refused: 'expired' });
  });

  it('opens nothing of another owner', () => {
    expect(readUnlockToken(token, { owner: 'bob' }, KEYS, NOW)).toEqual({ refused: 'forged' });
  });

  it('is refused with a later expiry or another PIN version written in', () => {
    const later = token.replace(`v2.${IN_TEN_MINUTES}.`, `v2.${IN_TEN_MINUTES + 3600}.`);
    expect(readUnlockToken(later, ANN, KEYS, NOW)).toEqual({ refused: 'forged' });
    const version = token.replace('.3.-.k2.', '.4.-.k2.');
    expect(readUnlockToken(version, ANN, KEYS, NOW)).toEqual({ refused: 'forged' });
  });

  it('is refused when its key is not in the set, or it is not a token', () => {
    const other: SigningKeySet = { keys: [{ ...(KEYS.keys[0] as SigningKeySet['keys'][0]), id: 'k3' }] };
    expect(readUnlockToken(token, ANN, other, NOW)).toEqual({ refused: 'unknown key' });
    expect(readUnlockToken('let me in', ANN, KEYS, NOW)).toEqual({ refused: 'malformed' });
  });
});

describe('an unlock token made under a sign-in', () => {
  const token = signUnlockToken(ANN_SIGNED_IN, { expires: IN_TEN_MINUTES, pinVersion: 1 }, KEYS);

  it('reads back under the same sign-in', () => {
    expect(readUnlockToken(token, ANN_SIGNED_IN, KEYS, NOW)).toEqual({ expires: IN_TEN_MINUTES, pinVersion: 1 });
  });

  it('is refused under the next sign-in of the same owner, or with no sign-in', () => {
    expect(readUnlockToken(token, { owner: 'ann', signIn: 'jti:second' }, KEYS, NOW)).toEqual({
      refused: 'another sign-in',
    });
    expect(readUnlockToken(token, ANN, KEYS, NOW)).toEqual({ refused: 'another sign-in' });
  });

  it('carries a digest of the sign-in, not the sign-in', () => {
    expect(token).not.toContain('first');
    expect(token).toMatch(/^v2\.\d+\.1\.[A-Za-z0-9_-]{11}\.k2\./);
  });

  it('is refused when its sign-in digest is swapped for the one of the sign-in it is sent under', () => {
    const second = { owner: 'ann', signIn: 'jti:second' };
    const digest = (made: string) => made.split('.')[3] as string;
    const theirs = signUnlockToken(second, { expires: IN_TEN_MINUTES, pinVersion: 1 }, KEYS);
    const swapped = token.replace(`.${digest(token)}.`, `.${digest(theirs)}.`);
    expect(readUnlockToken(swapped, second, KEYS, NOW)).toEqual({ refused: 'forged' });
  });
});

describe('requireUnlocked', () => {
  const lock = (pinVersion: number): OwnerLock => ({ owner: 'ann', pin: 'scrypt$x', pinVersion, failures: 0 });
  const deps = (pinVersion: number) => ({
    locks: { get: async () => lock(pinVersion) },
    keys: async () => KEYS,
    now: () => NOW,
  });
  const token = signUnlockToken(ANN, { expires: IN_TEN_MINUTES, pinVersion: 1 }, KEYS);

  it('answers the expiry of a good token made under the current PIN', async () => {
    await expect(requireUnlocked(ANN, token, deps(1))).resolves.toBe(IN_TEN_MINUTES);
  });

  it('refuses a token made under an earlier PIN: a new PIN shuts every token before it', async () => {
    await expect(requireUnlocked(ANN, token, deps(2))).rejects.toThrow(/earlier PIN/);
  });

  it('says to send the header when there is none', async () => {
    const refusal = requireUnlocked(ANN, undefined, deps(1), 'image X is in the locked folder');
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refusal).rejects.toThrow('image X is in the locked folder: locked: send X-Unlock-Token');
  });

  it('says an expired token has expired', async () => {
    const late = { ...deps(1), now: () => new Date(IN_TEN_MINUTES * 1000 + 1) };
    await expect(requireUnlocked(ANN, token, late)).rejects.toThrow(/has expired/);
  });

  it('refuses with a 403 saying so a token made under another sign-in: signing out shuts the folder', async () => {
    const before = signUnlockToken(ANN_SIGNED_IN, { expires: IN_TEN_MINUTES, pinVersion: 1 }, KEYS);
    const refusal = requireUnlocked({ owner: 'ann', signIn: 'jti:second' }, before, deps(1));
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refusal).rejects.toThrow(
      'locked: the X-Unlock-Token was made under another sign-in (signing out shuts the folder); unlock again',
    );
  });
});
