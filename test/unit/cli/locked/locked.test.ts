import { ApiError } from '../../../../lambdas/cli/api-client';
import { editCommand } from '../../../../lambdas/cli/edit/edit';
import { lockEdit, pinCommand, unlockCommand } from '../../../../lambdas/cli/locked/locked';

function world(answer: unknown) {
  const calls: unknown[][] = [];
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    calls,
    lines,
    errors,
    io: {
      out: (line: string) => lines.push(line),
      err: (line: string) => errors.push(line),
      client: {
        call: async (...args: unknown[]) => {
          calls.push(args);
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
    },
  };
}
const flags = { api: 'http://localhost:3000' };
const ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';

describe('image-intel lock, pin and unlock', () => {
  it('lock: PUTs locked, true or (--off) false, and says what it is now', async () => {
    const on = world({ imageId: ID, locked: true });
    expect(await editCommand(ID, lockEdit(true), flags, on.io)).toBe(0);
    expect(on.calls).toEqual([['PUT', `/images/${ID}/locked`, { locked: true }]]);
    expect(on.lines).toEqual([`${ID}: locked`]);
    const off = world({ imageId: ID, locked: false });
    await editCommand(ID, lockEdit(false), flags, off.io);
    expect(off.calls[0]?.[2]).toEqual({ locked: false });
    expect(off.lines).toEqual([`${ID}: not locked`]);
  });

  it('pin: sets the PIN, with the current one to change it, and prints its version', async () => {
    const run = world({ pinVersion: 2 });
    expect(await pinCommand('13579', { ...flags, current: '2468' }, run.io)).toBe(0);
    expect(run.calls).toEqual([['PUT', '/locked/pin', { pin: '13579', current: '2468' }]]);
    expect(run.lines[0]).toMatch(/^PIN set \(version 2\)/);
  });

  it('unlock: prints the token alone, for $(...), and a refusal on stderr with exit 1', async () => {
    const run = world({ token: 'v1.1.1.k.sig', expiresAt: '2026-11-29T12:10:00.000Z' });
    expect(await unlockCommand({ ...flags, pin: '2468' }, run.io)).toBe(0);
    expect(run.calls).toEqual([['POST', '/locked/unlock', { pin: '2468' }]]);
    expect(run.lines).toEqual(['v1.1.1.k.sig']);
    const wrong = world(new ApiError(403, 'POST /locked/unlock: 403 pin: not your PIN (1 wrong in a row)'));
    expect(await unlockCommand({ ...flags, pin: '0000' }, wrong.io)).toBe(1);
    expect(wrong.errors[0]).toMatch(/not your PIN/);
  });
});
