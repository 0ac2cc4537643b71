import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { parseDeploymentSettings } from '../../lambdas/shared/settings';
import { ImageProcessor } from '../../lib/constructs/image-processor';
import { ImageStorage } from '../../lib/constructs/image-storage';
import { Inference } from '../../lib/constructs/inference';
import { IngestQueue } from '../../lib/constructs/ingest-queue';
import { PipelineEvents } from '../../lib/constructs/pipeline-events';
import { ResultsTable } from '../../lib/constructs/results-table';
import { environmentOf, logicalIdOf, type Synthesized, synth, testApp } from './support/synth';

describe('image processor', () => {
  let s: Synthesized;
  let fn: Record<string, unknown>;
  beforeAll(() => {
    s = synth({ inference: 'onnx', thumbnailSizes: '64,256', maxPixels: '5000000', moderationThreshold: '0.7' });
    fn = s.json.Resources[logicalIdOf(s.stack.processor.function)]?.Properties ?? {};
  });

  it('runs Node 22 on arm64 with 2048 MB, 60 s, active tracing and the sharp layer', () => {
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 2048,
      Timeout: 60,
      TracingConfig: { Mode: 'Active' },
      Layers: [{ Ref: logicalIdOf(s.stack.processor.sharpLayer) }],
    });
  });

  it('gives the inference function less time than the processor that waits for it', () => {
    const infer = s.json.Resources[logicalIdOf(s.stack.inference.inferFunction as never)]?.Properties ?? {};
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

  it('consumes the ingest queue in batches of 10 with partial batch failures and a concurrency cap', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(s.stack.ingest.queue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(s.stack.processor.function) },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('gets the settings, names and limits it reads as environment variables', () => {
    expect(environmentOf(s, s.stack.processor.function)).toMatchObject({
      TABLE_NAME: { Ref: logicalIdOf(s.stack.table.table) },
      BUCKET_NAME: { Ref: logicalIdOf(s.stack.storage.bucket) },
      EVENT_BUS_NAME: { Ref: logicalIdOf(s.stack.events.bus) },
      INFERENCE: 'onnx',
      INFER_FUNCTION_NAME: { Ref: logicalIdOf(s.stack.inference.inferFunction as never) },
      THUMBNAIL_SIZES: '64,256',
      MAX_PIXELS: '5000000',
      MAX_UPLOAD_BYTES: String(25 * 1024 * 1024),
      MAX_RECEIVE_COUNT: '5',
      MODERATION_THRESHOLD: '0.7',
      MALLOC_ARENA_MAX: '2',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'image-intel-processor',
      POWERTOOLS_METRICS_NAMESPACE: 'ImageIntel',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('has no INFER_FUNCTION_NAME unless inference is onnx', () => {
    const rekognition = synth({ inference: 'rekognition' });
    const variables = environmentOf(rekognition, rekognition.stack.processor.function);
    expect(variables.INFERENCE).toBe('rekognition');
    expect(variables).not.toHaveProperty('INFER_FUNCTION_NAME');
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

  it('fails the synth if its timeout exceeds a sixth of the queue visibility timeout', () => {
    const stack = new Stack(testApp(), 'TooSlow');
    const storage = new ImageStorage(stack, 'Storage');
    const ingest = new IngestQueue(stack, 'Ingest', { bucket: storage.bucket, processorTimeout: Duration.seconds(30) });
    const settings = parseDeploymentSettings({ inference: 'none' });
    const build = () =>
      new ImageProcessor(stack, 'Processor', {
        storage,
        table: new ResultsTable(stack, 'Results'),
        bus: new PipelineEvents(stack, 'Events').bus,
        ingest,
        inference: new Inference(stack, 'Inference', { mode: 'none', storage, moderationThreshold: 0.8 }),
        settings,
        timeout: Duration.seconds(31),
      });
    expect(build).toThrow(/visibility timeout \(180 s\) must be at least 6 x the processor timeout \(31 s\)/);
  });
});
