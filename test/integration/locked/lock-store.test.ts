import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { setPin } from '../../../lambdas/locked/functions/set-pin/set-pin';
import { unlock } from '../../../lambdas/locked/functions/unlock/unlock';
import { LockStore } from '../../../lambdas/locked/lock-store';
import { LOCKED_TABLE } from '../../../lambdas/locked/table-design';
import { readUnlockToken } from '../../../lambdas/locked/unlock-token';
import type { SigningKeySet } from '../../../lambdas/renditions/signing-keys';
import { TooManyRequestsError } from '../../../lambdas/shared/errors';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The locked table against the run's moto: a PIN set and changed, wrong PINs throttled by conditional updates
 * (five free, then a growing lockout), attempts at once claimed one at a time, and the token an unlock signs.
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const raw = new DynamoDBClient(config);
const locks = new LockStore(DynamoDBDocumentClient.from(raw), `locked-${randomUUID().slice(0, 8)}`);
const table = (locks as unknown as { tableName: string }).tableName;
const KEYS: SigningKeySet = { keys: [{ id: 'k1', secret: 'a'.repeat(40), created: '2026-11-01T00:00:00.000Z' }] };

beforeAll(() => createDeclaredTable(raw, table, LOCKED_TABLE.design));

function clock(start: string) {
  let at = Date.parse(start);
  return { now: () => new Date(at), pass: (seconds: number) => (at += seconds * 1000) };
}

describe('the locked folder’s PIN', () => {
  it('unlocks with the right PIN, a token for the owner and the PIN version, for the lifetime asked', async () => {
    const time = clock('2026-11-29T12:00:00.000Z');
    expect(await setPin('ann', { pin: '2468' }, { locks, now: time.now })).toEqual({ pinVersion: 1 });
    const opened = await unlock(
      { owner: 'ann' },
      { pin: '2468' },
      { locks, keys: async () => KEYS, ttlSeconds: 600, ...time },
    );
    expect(opened.expiresAt).toBe('2026-11-29T12:10:00.000Z');
    expect(readUnlockToken(opened.token, { owner: 'ann' }, KEYS, time.now())).toEqual({
      expires: Date.parse(opened.expiresAt) / 1000,
      pinVersion: 1,
    });
    const stored = await locks.get('ann');
    expect(stored?.pin).toMatch(/^scrypt\$/);
  });

  it('lets four wrong PINs pass, then shuts for 30 s, doubling, and a right one forgets them', async () => {
    const time = clock('2026-11-29T13:00:00.000Z');
    await setPin('bea', { pin: 'open sesame' }, { locks, now: time.now });
    const deps = { locks, keys: async () => KEYS, ttlSeconds: 600, now: time.now };
    for (let wrong = 1; wrong <= 5; wrong++) {
      await expect(unlock({ owner: 'bea' }, { pin: 'guess' }, deps)).rejects.toThrow(`${wrong} wrong in a row`);
    }
    // Shut 30 s: even the right PIN is not checked.
    const shut = unlock({ owner: 'bea' }, { pin: 'open sesame' }, deps);
    await expect(shut).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(shut).rejects.toMatchObject({ retryAfterSeconds: 30 });
    time.pass(30);
    await expect(unlock({ owner: 'bea' }, { pin: 'guess' }, deps)).rejects.toThrow('6 wrong in a row');
    await expect(unlock({ owner: 'bea' }, { pin: 'open sesame' }, deps)).rejects.toMatchObject({
      retryAfterSeconds: 60,
    });
    time.pass(60);
    await expect(unlock({ owner: 'bea' }, { pin: 'open sesame' }, deps)).resolves.toHaveProperty('token');
    expect(await locks.get('bea')).toMatchObject({ failures: 0 });
    expect((await locks.get('bea'))?.blockedUntil).toBeUndefined();
  });

  it('checks one of many attempts at once: the others are refused unchecked', async () => {
    const time = clock('2026-11-29T14:00:00.000Z');
    await setPin('cal', { pin: '1111' }, { locks, now: time.now });
    const deps = { locks, keys: async () => KEYS, ttlSeconds: 600, now: time.now };
    const tries = await Promise.allSettled(
      Array.from({ length: 8 }, () => unlock({ owner: 'cal' }, { pin: '0000' }, deps)),
    );
    const throttled = tries.filter((one) => one.status === 'rejected' && one.reason instanceof TooManyRequestsError);
    // Each claim is conditional on the failures read, and the fifth shuts the folder: of eight at once, at most five
    // are ever checked (one, when all read before any claimed), and each one checked is counted.
    expect(throttled.length).toBeGreaterThanOrEqual(3);
    expect((await locks.get('cal'))?.failures).toBe(8 - throttled.length);
  });

  it('changes only with the current PIN, and raises the version', async () => {
    const time = clock('2026-11-29T15:00:00.000Z');
    await setPin('dan', { pin: '1234' }, { locks, now: time.now });
    await expect(setPin('dan', { pin: '5678' }, { locks, now: time.now })).rejects.toThrow(/current/);
    await expect(setPin('dan', { pin: '5678', current: '0000' }, { locks, now: time.now })).rejects.toThrow(
      /current: not your PIN/,
    );
    expect(await setPin('dan', { pin: '5678', current: '1234' }, { locks, now: time.now })).toEqual({ pinVersion: 2 });
    expect(await locks.get('dan')).toMatchObject({ pinVersion: 2, failures: 0 });
  });
});
