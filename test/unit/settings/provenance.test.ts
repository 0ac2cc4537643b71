import { DEFAULT_SETTINGS, parseDeploymentSettings } from '../../../lambdas/settings';

describe('the provenance settings', () => {
  it('trust no signer and keep no digital source type in renditions by default', () => {
    expect(DEFAULT_SETTINGS.provenanceTrustAnchors).toBeUndefined();
    expect(DEFAULT_SETTINGS.renditionsKeepDigitalSourceType).toBe(false);
  });

  it('read the trust anchors as a path in the project, and the rendition flag as -c gives it', () => {
    const settings = parseDeploymentSettings({
      provenanceTrustAnchors: 'certs/c2pa-anchors.pem',
      renditionsKeepDigitalSourceType: 'true',
    });
    expect(settings.provenanceTrustAnchors).toBe('certs/c2pa-anchors.pem');
    expect(settings.renditionsKeepDigitalSourceType).toBe(true);
    expect(parseDeploymentSettings({ provenanceTrustAnchors: 'ca-bundle.crt' }).provenanceTrustAnchors).toBe(
      'ca-bundle.crt',
    );
  });

  it.each(['/etc/ssl/certs/ca.pem', '../anchors.pem', 'certs/../anchors.pem', 'anchors.txt', ''])(
    'refuse %j as trust anchors, naming the setting',
    (file) => {
      expect(() => parseDeploymentSettings({ provenanceTrustAnchors: file })).toThrow(
        /provenanceTrustAnchors: must be/,
      );
    },
  );
});
