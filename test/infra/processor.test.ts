import { existsSync } from 'node:fs';
import path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { apiFunctionsFor } from '../../lambdas/manifest/routes';
import { PLACES_ASSET_PATH } from '../../lambdas/places/data-contract';
import { POLICY_TABLE } from '../../lambdas/policy/table-design';
import { SEARCH_TABLE } from '../../lambdas/search/postings-design';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { lockedSharpVersion, sharpBundlingHooks } from '../../layers/sharp/build';
import { DeclaredTable } from '../../lib/constructs/declared';
import { ImageProcessor } from '../../lib/constructs/image-processor';
import { ImageStorage } from '../../lib/constructs/image-storage';
import { IngestQueue } from '../../lib/constructs/ingest-queue';
import { PipelineEvents } from '../../lib/constructs/pipeline-events';
import * as placesBundling from '../../lib/constructs/places-bundling';
import { PLACES_DATA_FILE, withPlacesData } from '../../lib/constructs/places-bundling';
import { ResultsTable } from '../../lib/constructs/results-table';
import { VisionBackend } from '../../lib/constructs/vision';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { declaredWiring } from '../support/declared-wiring';
import { environmentOf, logicalIdOf, type Synthesized, synth, testApp, variablesOf } from './support/synth';

describe('image processor', () => {
  let s: Synthesized;
  let fn: Record<string, unknown>;
  beforeAll(() => {
    s = synth({ inference: 'offline', thumbnailSizes: '64,256', maxPixels: '5000000', moderationThreshold: '0.7' });
    fn = s.json.Resources[logicalIdOf(s.stack.processor.function)]?.Properties ?? {};
  });

  it('runs Node 22 on arm64 with 3008 MB, 60 s, active tracing and the sharp layer', () => {
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 3008,
      Timeout: 60,
      TracingConfig: { Mode: 'Active' },
      Layers: [{ Ref: logicalIdOf(s.stack.processor.sharpLayer as never) }],
    });
  });

  it('gives the vision function less time than the processor that waits for it', () => {
    const infer = s.json.Resources[logicalIdOf(s.stack.vision.function as never)]?.Properties ?? {};
    expect(infer).toMatchObject({ PackageType: 'Image', Architectures: ['arm64'], MemorySize: 3008, Timeout: 30 });
    expect(infer.Timeout as number).toBeLessThan(fn.Timeout as number);
  });

  it('publishes the sharp layer for Node 22 on arm64', () => {
    s.template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleRuntimes: ['nodejs22.x'],
      CompatibleArchitectures: ['arm64'],
      Description: Match.stringLikeRegexp('^sharp \\d+\\.\\d+\\.\\d+ .*linux-arm64'),
    });
  });

  it('consumes the ingest queue in batches of 10 as soon as they arrive, with partial batch failures', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(s.stack.ingest.queue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(s.stack.processor.function) },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 200 },
    });
  });

  it('keeps Rekognition inside its quota: concurrency = rekognitionTps x 1 s / images in flight, at least 2', () => {
    const concurrency = (context: Record<string, string>) => {
      const { template, stack } = synth({ inference: 'rekognition', ...context });
      return template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: { Ref: logicalIdOf(stack.processor.function) } },
      });
    };
    const scaling = (context: Record<string, string>) =>
      Object.values(concurrency(context)).map((r) => (r.Properties as Record<string, unknown>).ScalingConfig);
    // Defaults: 3008 MB holds 6 of the largest images (440 MB each at worst, a 150 MiB camera RAW), so 50 TPS / 6 = 8
    // invocations.
    expect(scaling({})).toEqual([{ MaximumConcurrency: 8 }]);
    expect(scaling({ rekognitionTps: '5' })).toEqual([{ MaximumConcurrency: 2 }]);
    expect(scaling({ rekognitionTps: '400', processorMaxConcurrency: '20' })).toEqual([{ MaximumConcurrency: 20 }]);
  });

  it('takes its batch size, window, memory and timeout from the settings', () => {
    const custom = synth({
      inference: 'none',
      processorBatchSize: '50',
      processorBatchWindowSeconds: '2',
      processorMemoryMb: '4096',
      processorTimeoutSeconds: '120',
    });
    const props = custom.json.Resources[logicalIdOf(custom.stack.processor.function)]?.Properties ?? {};
    expect(props).toMatchObject({ MemorySize: 4096, Timeout: 120 });
    custom.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 2,
    });
    custom.template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * 120 + 2 });
  });

  it.each([
    [{ processorMemoryMb: '1024', maxPixels: '400000000' }, /processorMemoryMb: 1024 MB cannot hold one image/],
    [{ processorMaxConcurrency: '1' }, /processorMaxConcurrency: Too small: expected number to be >=2/],
    [{ processorBatchSize: '20' }, /processorBatchSize: 20 is over 10, which SQS allows only with/],
  ])('refuses settings that cannot work together, naming the setting: %o', (context, message) => {
    expect(() => parseDeploymentSettings(context)).toThrow(message);
  });

  it('gets the settings, names and limits it reads as environment variables', () => {
    expect(environmentOf(s, s.stack.processor.function)).toMatchObject({
      TABLE_NAME: { Ref: logicalIdOf(s.stack.table.table) },
      SEARCH_TABLE_NAME: { Ref: logicalIdOf(s.stack.declaredTable(SEARCH_TABLE.name).table) },
      BUCKET_NAME: { Ref: logicalIdOf(s.stack.storage.bucket) },
      EVENT_BUS_NAME: { Ref: logicalIdOf(s.stack.events.bus) },
      INFERENCE: 'offline',
      VISION_FUNCTION_NAME: { Ref: logicalIdOf(s.stack.vision.function as never) },
      THUMBNAIL_SIZES: '64,256',
      MAX_PIXELS: '5000000',
      MAX_UPLOAD_BYTES: String(25 * 1024 * 1024),
      MAX_RECEIVE_COUNT: '5',
      MODERATION_THRESHOLD: '0.7',
      // 5 MP images fit 3008 MB many times over: the whole batch of 10 at once.
      IMAGES_IN_FLIGHT: '10',
      MALLOC_ARENA_MAX: '2',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'image-intel-processor',
      POWERTOOLS_METRICS_NAMESPACE: 'ImageIntel',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('reads the eager presets, and the image watermarks they draw from its own asset, where bundling copies them', () => {
    const watermarks = JSON.stringify({ logo: { image: 'test/fixtures/formats/alpha.png' } });
    const renditionPresets = JSON.stringify({ marked: { w: 600, format: 'jpeg', watermark: 'logo', eager: true } });
    const marked = synth({ inference: 'none', watermarks, renditionPresets });
    // Compiled into the code, not in the 4 KB environment (lambdas/settings/env.ts).
    expect(environmentOf(marked, marked.stack.processor.function)).not.toHaveProperty('RENDITION_SETTINGS');
    const variables = variablesOf(marked, marked.stack.processor.function);
    expect(JSON.parse(variables.RENDITION_SETTINGS as string)).toMatchObject({
      renditionPresets: { marked: { w: 600, format: 'jpeg', watermark: 'logo', eager: true } },
      watermarks: { logo: { image: 'watermarks/logo.png' } },
    });
  });

  it('fails the synth, naming it, for a missing watermark file an eager preset draws', () => {
    const settings = parseDeploymentSettings({
      inference: 'none',
      watermarks: JSON.stringify({ logo: { image: 'assets/missing-logo.png' } }),
      renditionPresets: JSON.stringify({ marked: { w: 600, format: 'jpeg', watermark: 'logo', eager: true } }),
    });
    expect(() => new ImagePipelineStack(testApp(), 'Missing', { settings })).toThrow(
      /Missing\/IngestProcessorRoom\/Processor: watermarks\.logo: no file at .*assets\/missing-logo\.png/,
    );
  });

  it('has no VISION_FUNCTION_NAME unless inference is offline', () => {
    const rekognition = synth({ inference: 'rekognition' });
    const variables = environmentOf(rekognition, rekognition.stack.processor.function);
    expect(variables.INFERENCE).toBe('rekognition');
    expect(variables).not.toHaveProperty('VISION_FUNCTION_NAME');
  });

  it('writes to its own log group with a one-month retention', () => {
    const logGroupId = logicalIdOf(s.stack.processor.function.logGroup);
    expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(s.json.Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });

  it('fails the synth if its timeout exceeds a sixth of the queue visibility timeout, naming the setting', () => {
    const stack = new Stack(testApp(), 'TooSlow');
    const storage = new ImageStorage(stack, 'Storage');
    const ingest = new IngestQueue(stack, 'Ingest', { bucket: storage.bucket, processorTimeout: Duration.seconds(30) });
    const settings = parseDeploymentSettings({ inference: 'none', processorTimeoutSeconds: 31 });
    const build = () =>
      new ImageProcessor(stack, 'Processor', {
        wiring: {
          ...declaredWiring(),
          tableName: new ResultsTable(stack, 'Results').table.tableName,
          searchTableName: new DeclaredTable(stack, 'Search', { declaration: SEARCH_TABLE }).table.tableName,
          policyTableName: new DeclaredTable(stack, 'Policies', { declaration: POLICY_TABLE }).table.tableName,
          bucketName: storage.bucket.bucketName,
          eventBusName: new PipelineEvents(stack, 'Events').bus.eventBusName,
        },
        ingest,
        vision: new VisionBackend(stack, 'Inference', { settings }),
        settings,
      });
    expect(build).toThrow(
      /visibility timeout \(180 s\) must be at least 6 x the processor timeout \(processorTimeoutSeconds 31 s\)/,
    );
  });
});

describe('sharpPackaging', () => {
  it('is layer unless the context says bundle, and nothing else', () => {
    expect(parseDeploymentSettings({}).sharpPackaging).toBe('layer');
    expect(parseDeploymentSettings({ sharpPackaging: 'bundle' }).sharpPackaging).toBe('bundle');
    expect(() => parseDeploymentSettings({ sharpPackaging: 'docker' })).toThrow(/sharpPackaging: /);
  });

  it('with bundle, creates no layer and gives the processor none', () => {
    const bundled = synth({ inference: 'none', auth: 'apikey', sharpPackaging: 'bundle' });
    expect(bundled.stack.processor.sharpLayer).toBeUndefined();
    // No sharp layer: the one left is CDK's AWS CLI layer of the web app's bucket deployment (none with webApp=false).
    expect(Object.keys(bundled.template.findResources('AWS::Lambda::LayerVersion'))).toEqual([
      expect.stringMatching(/^DeployAssetsAwsCliLayer/),
    ]);
    const processor = bundled.json.Resources[logicalIdOf(bundled.stack.processor.function)]?.Properties ?? {};
    expect(processor).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 3008 });
    expect(processor).not.toHaveProperty('Layers');
  });

  it('with bundle, installs the locked sharp for linux-arm64 glibc into the asset after esbuild, then checks it', () => {
    const version = lockedSharpVersion();
    const [install, verify, ...rest] = sharpBundlingHooks(version).afterBundling('/repo', '/out/asset');
    expect(rest).toEqual([]);
    expect(install?.split(' ')).toEqual(
      expect.arrayContaining(['npm', 'install', '--prefix=/out/asset', '--os=linux', '--cpu=arm64', '--libc=glibc']),
    );
    expect(install).toMatch(new RegExp(` sharp@${version.replaceAll('.', '\\.')}$`));
    expect(verify).toBe(
      `/repo/node_modules/.bin/tsx /repo/layers/sharp/build.ts --verify /out/asset/node_modules ${version}`,
    );
  });
});

describe('the places data in function assets', () => {
  // Every API function a deployment can have: people (face grouping) and webhooks on.
  const ALL_ROUTES = parseDeploymentSettings({ faceGrouping: 'true', webhooks: 'true' });

  it('is copied beside the bundle, where openGeocoder reads it, after the other hooks', () => {
    const other = { beforeBundling: () => [], beforeInstall: () => [], afterBundling: () => ['echo other'] };
    const commands = withPlacesData(other).afterBundling('/repo', '/out/asset');
    expect(commands[0]).toBe('echo other');
    expect(commands[1]).toContain(`"${PLACES_DATA_FILE}"`);
    expect(commands[1]).toContain(`"${path.join('/out/asset', PLACES_ASSET_PATH)}"`);
    expect(existsSync(PLACES_DATA_FILE)).toBe(true);
  });

  it("is in the processor's asset: the processor's bundling hooks copy it", () => {
    const spy = jest.spyOn(placesBundling, 'withPlacesData');
    try {
      // The stack made (its construct tree, where the hooks are chosen), whether or not its template is stored.
      expect(synth({ inference: 'none' }).stack.processor.function).toBeDefined();
      // The processor and each API function that names a place (below) get it: no other function.
      expect(spy).toHaveBeenCalledTimes(1 + apiFunctionsFor(ALL_ROUTES).filter((fn) => 'bundledData' in fn).length);
      const hooks = spy.mock.results[0]?.value as ReturnType<typeof withPlacesData>;
      expect(hooks.afterBundling('/repo', '/out/asset').at(-1)).toContain(path.join('/out/asset', PLACES_ASSET_PATH));
    } finally {
      spy.mockRestore();
    }
  });
});
