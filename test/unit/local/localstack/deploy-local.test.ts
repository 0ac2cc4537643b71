import {
  e2eCommandLine,
  e2eEnvironment,
  localstackApiUrl,
  type StackOutputs,
  stackOutputs,
} from '../../../../lambdas/local/localstack/outputs';
import {
  cdklocalEnvironment,
  LocalDeployError,
  parseContextPairs,
  planDeploy,
  REQUIRED_SERVICES,
  regionOf,
  unavailableServices,
} from '../../../../lambdas/local/localstack/plan';
import { signV4 } from '../../../../lambdas/local/localstack/sigv4';

const OUTPUTS_FILE = '/tmp/project/.local/localstack-outputs.json';

function plan(context: Record<string, string> = {}, authToken?: string) {
  return planDeploy({ context, outputsFile: OUTPUTS_FILE, region: 'eu-west-1', authToken });
}

describe('planDeploy', () => {
  it('bootstraps LocalStack’s account, then deploys every stack with auth=apikey, inference=none, no web app, no WAF and sharp bundled by default', () => {
    expect(plan().commands).toEqual([
      { bin: 'cdklocal', args: ['bootstrap', 'aws://000000000000/eu-west-1'] },
      {
        bin: 'cdklocal',
        args: [
          'deploy',
          '--all',
          '--require-approval',
          'never',
          '-c',
          'auth=apikey',
          '-c',
          'inference=none',
          '-c',
          'webApp=false',
          '-c',
          'waf=false',
          '-c',
          'sharpPackaging=bundle',
          '--outputs-file',
          OUTPUTS_FILE,
        ],
      },
    ]);
  });

  it('bundles sharp into the processor without LOCALSTACK_AUTH_TOKEN (the free image applies no layers)', () => {
    const { settings, notes } = plan();
    expect(settings.sharpPackaging).toBe('bundle');
    expect(notes).toEqual([]);
  });

  it('keeps the sharp layer when an auth token says the paid image (which applies layers) is in use', () => {
    const { settings, context, notes } = plan({}, 'ls-token');
    expect(settings.sharpPackaging).toBe('layer');
    expect(context).not.toHaveProperty('sharpPackaging');
    expect(notes).toEqual([]);
  });

  it('lets the caller ask for the layer on the free image, with a note that the processor will not load sharp', () => {
    const { settings, commands, notes } = plan({ sharpPackaging: 'layer' });
    expect(settings.sharpPackaging).toBe('layer');
    expect(commands[1]?.args).toContain('sharpPackaging=layer');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/creates the sharp layer but does not apply it: the\nprocessor cannot load sharp/);
    expect(notes[0]).toContain('-c sharpPackaging=bundle');
  });

  it('passes the caller’s context through, overriding the defaults', () => {
    const deploy = plan({ auth: 'none', corsOrigins: 'http://localhost:5173', maxPixels: '50000000' }).commands[1];
    expect(deploy?.args).toEqual([
      'deploy',
      '--all',
      '--require-approval',
      'never',
      '-c',
      'auth=none',
      '-c',
      'inference=none',
      '-c',
      'webApp=false',
      '-c',
      'waf=false',
      '-c',
      'sharpPackaging=bundle',
      '-c',
      'corsOrigins=http://localhost:5173',
      '-c',
      'maxPixels=50000000',
      '--outputs-file',
      OUTPUTS_FILE,
    ]);
  });

  it.each([
    ['auth', 'cognito', /auth=cognito: Cognito/],
    ['inference', 'offline', /inference=offline: container-image Lambdas \(ECR\)/],
    ['inference', 'rekognition', /inference=rekognition: LocalStack does not emulate Rekognition/],
    ['waf', 'true', /waf: WAF web ACLs are a paid LocalStack feature/],
  ])('refuses %s=%s without LOCALSTACK_AUTH_TOKEN, saying why and what to deploy instead', (key, value, reason) => {
    const refusal = () => plan({ [key]: value });
    expect(refusal).toThrow(LocalDeployError);
    expect(refusal).toThrow(reason);
    expect(refusal).toThrow('Deploy with -c auth=apikey -c inference=none');
  });

  it('deploys paid-tier context when an auth token is set', () => {
    const { settings, commands } = plan({ auth: 'cognito', inference: 'offline' }, 'ls-token');
    expect(settings).toMatchObject({ auth: 'cognito', inference: 'offline' });
    expect(commands[1]?.args).toEqual(expect.arrayContaining(['auth=cognito', 'inference=offline']));
  });

  it('rejects a value the stack’s settings schema rejects, naming the key', () => {
    expect(() => plan({ maxPixels: 'many' })).toThrow(/maxPixels/);
  });
});

describe('parseContextPairs', () => {
  it('splits at the first =, so values may contain one', () => {
    expect(parseContextPairs(['auth=none', 'corsOrigins=https://a.example/?x=1'])).toEqual({
      auth: 'none',
      corsOrigins: 'https://a.example/?x=1',
    });
  });

  it('rejects a pair without a key', () => {
    expect(() => parseContextPairs(['auth'])).toThrow('-c expects key=value, got "auth"');
    expect(() => parseContextPairs(['=none'])).toThrow(LocalDeployError);
  });
});

describe('cdklocalEnvironment', () => {
  it('drops a leftover AWS_ENDPOINT_URL (cdklocal refuses one without AWS_ENDPOINT_URL_S3)', () => {
    const env = cdklocalEnvironment({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', PATH: '/bin' }, 'us-east-1');
    expect(env.AWS_ENDPOINT_URL).toBeUndefined();
    expect(env.PATH).toBe('/bin');
  });

  it('allow-lists the region so cdklocal keeps it, next to the caller’s allow-list', () => {
    const env = cdklocalEnvironment({ AWS_ENVAR_ALLOWLIST: 'AWS_PROFILE' }, 'eu-west-1');
    expect(env).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(env.AWS_ENVAR_ALLOWLIST?.split(',').sort()).toEqual(['AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_REGION']);
  });

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION, else us-east-1', () => {
    expect(regionOf({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' })).toBe('eu-west-1');
    expect(regionOf({ AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
    expect(regionOf({})).toBe('us-east-1');
  });
});

describe('unavailableServices', () => {
  const health = (services: Record<string, string>) => ({ edition: 'community', version: '4.14.0', services });

  it('is empty when every needed service is available or running', () => {
    const all = Object.fromEntries(REQUIRED_SERVICES.map((name, i) => [name, i % 2 ? 'running' : 'available']));
    expect(unavailableServices(health(all))).toEqual([]);
  });

  it('names the services that are disabled or missing', () => {
    expect(unavailableServices(health({ s3: 'running', lambda: 'disabled' }), ['s3', 'lambda', 'sqs'])).toEqual([
      'lambda',
      'sqs',
    ]);
  });
});

const outputs: StackOutputs = {
  ApiUrl: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/',
  BucketName: 'imageintel-storagebucket-1a2b',
  TableName: 'ImageIntel-TableImages-XYZ',
  EventBusName: 'ImageIntelEventsBus',
  QueueUrl: 'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/ImageIntel-Ingest',
  DlqUrl: 'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/ImageIntel-IngestDlq',
  ApiKeyId: 'k3y1d',
};

describe('stackOutputs', () => {
  it('picks the stack with an ApiUrl from a cdk --outputs-file file', () => {
    expect(stackOutputs({ CDKToolkit: { BucketName: 'x' }, ImageIntel: outputs })).toEqual(outputs);
  });

  it('names the outputs that are missing', () => {
    const { DlqUrl: _dlq, TableName: _table, ...partial } = outputs;
    const missing = () => stackOutputs({ ImageIntel: partial });
    expect(missing).toThrow(/^outputs of ImageIntel: .*TableName/);
    expect(missing).toThrow(/DlqUrl/);
  });

  it('fails clearly when no stack has an ApiUrl', () => {
    expect(() => stackOutputs({ Other: { Foo: 'bar' } })).toThrow(
      'expected one stack with an ApiUrl output in the outputs file, found 0 (stacks: Other)',
    );
  });
});

describe('localstackApiUrl', () => {
  it('maps the execute-api URL to LocalStack’s /_aws/execute-api/<id>/<stage>/ path', () => {
    expect(localstackApiUrl(outputs.ApiUrl, 'http://localhost:4566')).toBe(
      'http://localhost:4566/_aws/execute-api/a1b2c3d4e5/prod/',
    );
  });

  it('accepts the LocalStack host name as well', () => {
    expect(
      localstackApiUrl(
        'https://a1b2c3d4e5.execute-api.localhost.localstack.cloud:4566/prod/',
        'http://localhost:4566/',
      ),
    ).toBe('http://localhost:4566/_aws/execute-api/a1b2c3d4e5/prod/');
  });

  it('rejects a URL that is not an invoke URL', () => {
    expect(() => localstackApiUrl('https://example.com/prod/', 'http://localhost:4566')).toThrow(LocalDeployError);
  });
});

describe('e2eEnvironment and e2eCommandLine', () => {
  it('maps the outputs to the variables test/e2e/global-setup.ts reads', () => {
    const env = Object.fromEntries(
      e2eEnvironment(outputs, { endpoint: 'http://localhost:4566', region: 'us-east-1', apiKey: 'the-key' }),
    );
    expect(env).toEqual({
      E2E_API_URL: 'http://localhost:4566/_aws/execute-api/a1b2c3d4e5/prod/',
      E2E_API_KEY: 'the-key',
      AWS_ENDPOINT_URL: 'http://localhost:4566',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      E2E_BUCKET: outputs.BucketName,
      E2E_TABLE: outputs.TableName,
      E2E_QUEUE_URL: outputs.QueueUrl,
      E2E_DLQ_URL: outputs.DlqUrl,
      E2E_EVENT_BUS: outputs.EventBusName,
    });
  });

  it('leaves E2E_API_KEY out without an API key (auth=none)', () => {
    const names = e2eEnvironment(outputs, { endpoint: 'http://localhost:4566', region: 'us-east-1' }).map(([n]) => n);
    expect(names).not.toContain('E2E_API_KEY');
  });

  it('prints one shell command: the variables, then the e2e jest project', () => {
    expect(
      e2eCommandLine([
        ['E2E_API_URL', 'http://localhost:4566/_aws/execute-api/a1b2c3d4e5/prod/'],
        ['E2E_API_KEY', "it's <odd>"],
      ]),
    ).toBe(
      "E2E_API_URL=http://localhost:4566/_aws/execute-api/a1b2c3d4e5/prod/ \\\n  E2E_API_KEY='it'\\''s <odd>' \\\n  npx jest --selectProjects e2e",
    );
  });
});

describe('signV4', () => {
  it('matches the signature in AWS’s Signature Version 4 example (IAM ListUsers)', () => {
    const headers = signV4(
      {
        method: 'GET',
        url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      { region: 'us-east-1', service: 'iam' },
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });
});
