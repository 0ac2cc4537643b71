import {
  hashPassword,
  isShareToken,
  newShareToken,
  shareIdOf,
  tokenHash,
  verifyPassword,
} from '../../../lambdas/shares/secrets';

describe('a share token', () => {
  it('is 32 random bytes as base64url (43 characters), a new one each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newShareToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isShareToken(token)).toBe(true);
    }
  });

  it.each(['', 'short', `${'a'.repeat(42)}=`, `${'a'.repeat(44)}`, `${'a'.repeat(42)}/`])('is not %j', (value) => {
    expect(isShareToken(value)).toBe(false);
  });

  it('is keyed by its SHA-256, and named in events by 16 hex digits of it', () => {
    const hash = tokenHash('abc');
    expect(hash).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(shareIdOf(hash)).toBe('ba7816bf8f01cfea');
  });
});

describe('a share password', () => {
  it('is kept as scrypt with its parameters and a salt, never as given, and checks', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('is salted: the same password twice gives two hashes, each of which checks', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it.each([
    ['another scheme', 'bcrypt$2b$10$abc'],
    ['a cost past the bound', 'scrypt$4194304$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a short hash', 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'],
    ['nothing', ''],
  ])('matches nothing against a stored value that is %s', async (_what, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
  });
});
