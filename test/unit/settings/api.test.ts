import { parseDeploymentSettings } from '../../../lambdas/settings';

/** `corsOrigins` rides in every API function's environment, so the list is held to a size, not only a count. */
describe('corsOrigins', () => {
  const origin = (i: number, length: number) => `https://${String(i).padEnd(length - 'https://:443'.length, 'h')}:443`;
  const list = (count: number, length: number) => Array.from({ length: count }, (_, i) => origin(i, length)).join(',');

  it('takes ten origins of 199 characters: 1,999 with their commas', () => {
    expect(parseDeploymentSettings({ corsOrigins: list(10, 199) }).corsOrigins).toHaveLength(10);
  });

  it('refuses ten of 200, past the 2,000 characters the functions have room for, naming the setting', () => {
    expect(() => parseDeploymentSettings({ corsOrigins: list(10, 200) })).toThrow(
      /corsOrigins: at most 2000 characters together/,
    );
  });

  it('refuses an eleventh origin, however short', () => {
    expect(() => parseDeploymentSettings({ corsOrigins: list(11, 20) })).toThrow(/corsOrigins: at most 10 origins/);
  });
});
