import { deprecatedSettings, parseDeploymentSettings } from '../../../lambdas/settings';

/** Search by meaning's settings, and the names they had before the feature had one (issue 59). */
describe('the search by meaning settings', () => {
  it('are off, 1024 dimensions, a 0.8 cut-off and no previous model by default', () => {
    const settings = parseDeploymentSettings({});
    expect(settings).toMatchObject({ searchByMeaning: 'off', meaningDimension: 1024, meaningMaxDistance: 0.8 });
    expect(settings.meaningPrevious).toBeUndefined();
  });

  it('read each old name alone as its new one, with nothing left under the old', () => {
    const old = parseDeploymentSettings({
      semanticSearch: 'nova',
      semanticDimension: '3072',
      semanticMaxDistance: '0.5',
      semanticSearchPrevious: 'titan:1024',
    });
    const current = parseDeploymentSettings({
      searchByMeaning: 'nova',
      meaningDimension: '3072',
      meaningMaxDistance: '0.5',
      meaningPrevious: 'titan:1024',
    });
    expect(old).toEqual(current);
    expect(old).not.toHaveProperty('semanticSearch');
  });

  it('take an old and a new name given the same value (a number from cdk.json, text from -c)', () => {
    expect(parseDeploymentSettings({ semanticDimension: 384, meaningDimension: '384' }).meaningDimension).toBe(384);
  });

  it('refuse an old and a new name given different values, naming both', () => {
    expect(() => parseDeploymentSettings({ semanticSearch: 'titan', searchByMeaning: 'nova' })).toThrow(
      'semanticSearch=titan and searchByMeaning=nova disagree: semanticSearch is the old name of searchByMeaning; ' +
        'give searchByMeaning alone',
    );
  });

  it('say once, for cdk synth, that each old name given is deprecated and what to write instead', () => {
    expect(deprecatedSettings({ semanticSearch: 'titan', meaningDimension: '384' })).toEqual([
      'semanticSearch=titan is deprecated: use searchByMeaning=titan (same behaviour)',
    ]);
    expect(deprecatedSettings({ searchByMeaning: 'titan' })).toEqual([]);
  });
});
