import { albumCount, EXPIRY_CHOICES, expiryAt, shareStateInWords } from '../../../../../web/src/pages/albums/words';

const date = (iso: string) => iso.slice(0, 10);

describe("the albums pages' words", () => {
  it("counts a manual album's photos, and calls a smart one so (its photos are its search's)", () => {
    expect(albumCount({ kind: 'manual', count: 1 })).toBe('1 photo');
    expect(albumCount({ kind: 'manual', count: 0 })).toBe('0 photos');
    expect(albumCount({ kind: 'smart', count: 0 })).toBe('Smart album');
  });

  it("says a link's state: open until when (or with no expiry), expired, revoked", () => {
    expect(shareStateInWords({ state: 'active', expiresAt: '2026-12-05T08:00:00Z' }, date)).toBe(
      'Open until 2026-12-05',
    );
    expect(shareStateInWords({ state: 'active' }, date)).toBe('Open, no expiry');
    expect(shareStateInWords({ state: 'expired', expiresAt: '2026-11-01T00:00:00Z' }, date)).toBe('Expired 2026-11-01');
    expect(shareStateInWords({ state: 'revoked', revokedAt: '2026-11-28T08:00:00Z' }, date)).toBe('Revoked 2026-11-28');
  });

  it('offers expiries within the API’s year, and never; each an ISO time from now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(EXPIRY_CHOICES.every((choice) => choice.days >= 0 && choice.days < 365)).toBe(true);
    expect(expiryAt(7, now)).toBe('2026-01-08T00:00:00.000Z');
    expect(expiryAt(0, now)).toBeUndefined();
  });
});
