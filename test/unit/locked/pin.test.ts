import { hashPin, lockoutSeconds, verifyPin } from '../../../lambdas/locked/pin';

describe('a PIN', () => {
  it('is kept as a salted scrypt hash that only it matches', async () => {
    const stored = await hashPin('2468');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('2468');
    expect(await hashPin('2468')).not.toBe(stored);
    expect(await verifyPin('2468', stored)).toBe(true);
    expect(await verifyPin('2469', stored)).toBe(false);
  });

  it('shuts the folder from the fifth wrong one in a row, 30 s doubling to an hour', () => {
    expect([1, 2, 3, 4].map(lockoutSeconds)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(lockoutSeconds)).toEqual([30, 60, 120, 240]);
    expect(lockoutSeconds(12)).toBe(3600);
    expect(lockoutSeconds(100)).toBe(3600);
  });
});
