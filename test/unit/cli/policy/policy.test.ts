import { InvalidArgumentError } from 'commander';
import { ApiError } from '../../../../lambdas/cli/api-client';
import { parseRule } from '../../../../lambdas/cli/policy/command';
import { policyCommand } from '../../../../lambdas/cli/policy/policy';

describe('image-intel policy', () => {
  it('reads CATEGORY:THRESHOLD:ACTION rules, the category in any case and with its spaces', () => {
    const rules = parseRule(
      'ai generated:1:reject',
      parseRule('drugs & tobacco:0.5:reject', parseRule('Suggestive:0.3:blur')),
    );
    expect(rules).toEqual([
      { category: 'Suggestive', threshold: 0.3, action: 'blur' },
      { category: 'Drugs & Tobacco', threshold: 0.5, action: 'reject' },
      { category: 'AI Generated', threshold: 1, action: 'reject' },
    ]);
  });

  it('refuses an unknown category, a threshold outside 0-1 and an unknown action, saying which', () => {
    expect(() => parseRule('Nudity:0.3:blur')).toThrow(InvalidArgumentError);
    expect(() => parseRule('Nudity:0.3:blur')).toThrow(/^Nudity: not a category \(Explicit Nudity, Suggestive,/);
    expect(() => parseRule('Suggestive:1.5:blur')).toThrow(/1.5: the threshold must be a number from 0 to 1/);
    expect(() => parseRule('Suggestive:0.3:hide')).toThrow(/hide: not an action \(flag, blur, reject\)/);
  });

  it('sets the whole policy for another owner with PUT /policy?owner=, and prints it', async () => {
    const calls: unknown[][] = [];
    const lines: string[] = [];
    const code = await policyCommand(
      { api: 'http://api', owner: 'ada' },
      [{ category: 'Suggestive', threshold: 0.3, action: 'blur' }],
      {
        out: (line) => lines.push(line),
        client: {
          call: async (...args: unknown[]) => {
            calls.push(args);
            return {
              owner: 'ada',
              source: 'owner',
              rules: [{ category: 'Suggestive', threshold: 0.3, action: 'blur' }],
              updatedAt: '2026-11-26T00:00:00.000Z',
              updatedBy: 'root',
            };
          },
        },
      },
    );
    expect(code).toBe(0);
    expect(calls).toEqual([
      ['PUT', '/policy?owner=ada', { rules: [{ category: 'Suggestive', threshold: 0.3, action: 'blur' }] }],
    ]);
    expect(lines).toEqual(['Owner ada: set by root at 2026-11-26T00:00:00.000Z', '  Suggestive >= 0.3: blur']);
  });

  it("exits 1 with the API's words when it refuses", async () => {
    const errors: string[] = [];
    const code = await policyCommand({ api: 'http://api', owner: 'bob' }, undefined, {
      err: (line) => errors.push(line),
      client: {
        call: async () => {
          throw new ApiError(403, "owner: only an admin may read or set another owner's policy");
        },
      },
    });
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/only an admin/);
  });
});
