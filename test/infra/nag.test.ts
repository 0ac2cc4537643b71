import type { App } from 'aws-cdk-lib';
import type { CfnMethod } from 'aws-cdk-lib/aws-apigateway';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AUTH_MODES, INFERENCE_MODES, synth } from './support/synth';

/** Every unacknowledged AwsSolutions finding (errors and warnings alike) as `rule at construct path`. */
function findings(app: App): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

const combinations = INFERENCE_MODES.flatMap((inference) => AUTH_MODES.map((auth) => ({ inference, auth })));

describe('cdk-nag AwsSolutions', () => {
  it.each(combinations)('has no unacknowledged finding with inference=$inference auth=$auth', (context) => {
    expect(findings(synth(context).app)).toEqual([]);
  });

  it.each([
    { corsOrigins: 'https://a.example,https://b.example' },
    { destroyOnRemove: 'true' },
    { auth: 'cognito', userPoolId: 'eu-west-1_AbCdEf123', webAuthDomain: 'https://login.example.com' },
    { webApp: 'false' },
    { sharpPackaging: 'bundle', inference: 'none' },
    { auth: 'cognito', webAuthDomainPrefix: 'example-images', webPriceClass: 'PriceClass_All' },
    { alarmEmail: 'ops@example.com,oncall@example.com' },
    { auth: 'apikey', apiClients: '[{"name":"web","admin":true},{"name":"batch","quotaPerDay":500000}]' },
    { sourceBuckets: 'old-photos/2019/=studio,archive.example' },
    { faceGrouping: 'true', inference: 'rekognition' },
    { faceGrouping: 'true', inference: 'offline' },
    { searchByMeaning: 'titan' },
    { searchByMeaning: 'nova', meaningDimension: '3072', destroyOnRemove: 'true' },
  ])('has no unacknowledged finding with %o', (context) => {
    expect(findings(synth(context).app)).toEqual([]);
  });

  it('acknowledges an open method on the public route alone (a share link): any other one opened is reported', () => {
    const { app, stack } = synth({ auth: 'cognito', corsOrigins: 'https://d.example' });
    const images = stack.api.api.methods.find((m) => m.resource.path === '/images' && m.httpMethod === 'GET');
    const method = images?.node.defaultChild as CfnMethod;
    method.authorizationType = 'NONE';
    method.authorizerId = undefined;
    const found = findings(app).filter((finding) => /APIG4|COG4/.test(finding));
    expect(found.map((finding) => finding.replace(/ at .*\/Default\//, ' at '))).toEqual([
      'AwsSolutions-APIG4 at images/GET/Resource',
      'AwsSolutions-COG4 at images/GET/Resource',
    ]);
  });

  it('reports a resource nobody acknowledged (the check can fail)', () => {
    const { app, stack } = synth({ inference: 'none', auth: 'none', corsOrigins: 'https://c.example' });
    new Bucket(stack, 'Unchecked');
    expect(findings(app)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-S1 at Test/Unchecked/Resource',
        'AwsSolutions-S10 at Test/Unchecked/Resource',
      ]),
    );
  });
});
