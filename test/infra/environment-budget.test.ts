import { Aspects, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnFunction, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { deployedEnvironment, ENVIRONMENT_LIMIT_BYTES, EnvironmentBudget } from '../../lib/environment-budget';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { testApp, WEB_FIXTURE } from './support/synth';

/** A stack with the budget and one function with these variables; `app.synth()` runs the check. */
function stackWith(name: string, environment: (stack: Stack) => Record<string, string>) {
  const app = testApp();
  const stack = new Stack(app, name);
  Aspects.of(stack).add(new EnvironmentBudget());
  new LambdaFunction(stack, 'Fn', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => {}'),
    environment: environment(stack),
  });
  return app;
}

/** Lambda measures `{"A":"a",...}`. */
const measured = (variables: Record<string, string>) => Buffer.byteLength(JSON.stringify(variables));

describe('EnvironmentBudget', () => {
  it('passes an environment of exactly 4 KB as Lambda measures it', () => {
    const variables = { ONLY: 'a'.repeat(ENVIRONMENT_LIMIT_BYTES - measured({ ONLY: '' })) };
    expect(measured(variables)).toBe(ENVIRONMENT_LIMIT_BYTES);
    expect(() => stackWith('Exact', () => variables).synth()).not.toThrow();
  });

  it('stops the synth one byte over, naming the function, its size and its largest variables', () => {
    const variables = { SMALL: 'x', BIG: 'b'.repeat(3000), MIDDLE: 'm'.repeat(1063) };
    expect(measured(variables)).toBe(ENVIRONMENT_LIMIT_BYTES + 1);
    expect(() => stackWith('Over', () => variables).synth()).toThrow(
      "[Over/Fn/Resource] the environment of Over/Fn/Resource takes up to 4097 bytes once deployed, over Lambda's " +
        '4096: largest BIG 3002 bytes, MIDDLE 1065 bytes, SMALL 3 bytes',
    );
  });

  it('counts quotes and backslashes as JSON escapes them', () => {
    // 1,700 quotes are 3,400 bytes once escaped: 4,200 with the rest, over 4 KB though 2,500 characters long.
    const variables = { JSON: `${'"'.repeat(1700)}${'x'.repeat(800)}` };
    expect(() => stackWith('Escaped', () => variables).synth()).toThrow(/takes up to 4\d{3} bytes/);
  });

  it("counts a reference at its longest deployed value: a generated name carries the stack's name", () => {
    // A table's generated name is <stack>-<logical id>-<random>: with a 128-character stack name the same variables
    // fit under a short name and not under the long one.
    const withTable = (stack: Stack) => {
      const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
      return { TABLE_NAME: table.tableName, FILL: 'f'.repeat(3950) };
    };
    expect(() => stackWith('Short', withTable).synth()).not.toThrow();
    expect(() => stackWith(`L${'o'.repeat(127)}`, withTable).synth()).toThrow(/TABLE_NAME 1\d\d bytes/);
  });

  it('refuses a reference it cannot size, naming what to add', () => {
    const app = stackWith('Unknown', (stack) => {
      const other = new CfnFunction(stack, 'Other', { code: { zipFile: 'x' }, role: 'arn:aws:iam::1:role/r' });
      return { OTHER_ARN: other.attrArn };
    });
    expect(() => app.synth()).toThrow(
      /cannot tell how long AWS::Lambda::Function.Arn of Other is once deployed: add it to REFERENCE_LENGTHS/,
    );
  });

  it('keeps large rendition settings out of the environment: 40 API clients of 30 characters and 16 presets', () => {
    // The case that used to synthesize and then fail to deploy get-image and create-rendition (4.7 KB each).
    const clients = Array.from({ length: 40 }, (_, i) => ({
      name: `client-${String(i).padStart(2, '0')}`.padEnd(30, 'x'),
    }));
    const presets = Object.fromEntries(
      Array.from({ length: 16 }, (_, i) => [`preset-${i}`, { w: 100 + i, h: 80 + i, fit: 'cover', format: 'webp' }]),
    );
    const settings = parseDeploymentSettings({
      auth: 'apikey',
      apiClients: JSON.stringify(clients),
      renditionPresets: JSON.stringify(presets),
    });
    const app = testApp();
    const stack = new ImagePipelineStack(app, 'Large', { settings, webAppDirectory: WEB_FIXTURE });
    expect(() => app.synth()).not.toThrow();
    expect(stack.api.handlers.named('get-image').compiledEnvironment.RENDITION_SETTINGS).toContain('preset-15');
  });

  it.each(['rekognition', 'offline'])(
    'passes the largest configuration the settings accept (inference=%s), every function within 4 KB',
    (inference) => {
      // Each setting that reaches an environment at the most it may be: the longest stack name (every generated
      // resource name carries it), origins of 269 characters filling the 2,000 the list may take, eight four-digit
      // thumbnail sizes, every upload
      // type, the largest numbers, and thirty API clients (their directory is a parameter, not in an environment;
      // each client is three resources, and thirty is what fits CloudFormation's 500 beside the defaults).
      const clients = Array.from({ length: 30 }, (_, i) => ({ name: `c${i}-`.padEnd(42, 'x'), admin: true }));
      const settings = parseDeploymentSettings({
        stackName: `S${'x'.repeat(127)}`,
        // A 128-character name leaves no room for its web ACL's stack, <stackName>-waf.
        waf: 'false',
        auth: 'apikey',
        apiClients: JSON.stringify(clients),
        corsOrigins: [
          ...Array.from({ length: 7 }, (_, i) => `https://${String(i).padEnd(253, 'h')}:65535`),
          `https://${'7'.padEnd(2000 - 7 * 270 - 'https://:65535'.length, 'h')}:65535`,
        ].join(','),
        thumbnailSizes: '4096,4095,4094,4093,4092,4091,4090,4089',
        maxUploadBytes: String(5 * 1024 ** 3),
        processorMemoryMb: '10240',
        maxPixels: '1000000000',
        moderationThreshold: '0.123456789012345',
        uploadUrlTtlSeconds: '604800',
        downloadUrlTtlSeconds: '604800',
        renditionsKeepGps: 'true',
        // The processor names the trust anchors' copy in its asset.
        provenanceTrustAnchors: 'test/fixtures/provenance/trust-anchors.pem',
        inference,
      });
      const app = testApp();
      const stack = new ImagePipelineStack(app, settings.stackName, { settings, webAppDirectory: WEB_FIXTURE });
      expect(() => app.synth()).not.toThrow();
      const largest = Math.max(
        ...stack.node
          .findAll()
          .filter((construct) => construct instanceof CfnFunction)
          .map((fn) => deployedEnvironment(fn as CfnFunction).bytes),
      );
      // Not a near miss: what is left is the room a new variable has. 128 bytes since webhooks (issue 42) gave the
      // API's publishers the queue's URL: at this extreme (2,000 characters of origins, a 128-character stack name)
      // get-shared holds the most; with one origin of 40 characters a function holds about 1,300.
      expect(largest).toBeLessThan(ENVIRONMENT_LIMIT_BYTES - 128);
    },
  );
});
