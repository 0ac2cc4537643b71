import { Duration } from 'aws-cdk-lib';
import { Architecture, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { INGEST_QUEUE_DESIGN } from '../../lambdas/ingest/functions/processor/contract';
import { pipelineFunction } from '../../lambdas/manifest/manifest';
import { PROCESSOR, type ProcessorWiring } from '../../lambdas/manifest/steps';
import type { DeploymentSettings } from '../../lambdas/settings';
import { processingProblems, processorConcurrency } from '../../lambdas/settings/processing';
import { lockedSharpVersion, sharpLayerCode } from '../../layers/sharp/build';
import { bundledDataHooks } from './bundled-data';
import type { IngestQueue } from './ingest-queue';
import { withJxlDecoder } from './jxl-bundling';
import { NATIVE_MEMORY_ENVIRONMENT } from './native-memory';
import { type FunctionBasicsProps, NodeFunction, type NodeFunctionProps } from './node-function';
import type { VisionBackend } from './vision';
import { watermarkBundlingHooks } from './watermark-bundling';

/** What the function reads (its contract's settings) and what shapes the function and its event source. */
export type ProcessorSettings = ProcessorWiring['settings'] &
  Pick<
    DeploymentSettings,
    | 'sharpPackaging'
    | 'processorBatchWindowSeconds'
    | 'processorTimeoutSeconds'
    | 'processorMaxConcurrency'
    | 'rekognitionTps'
  >;

export interface ImageProcessorProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  /**
   * The tables, bucket, bus and sinks its contract names, as the stack wires every function (people and meaning only
   * with their settings on); the vision function, the redrive count and the watermarks' place are its own.
   */
  readonly wiring: Omit<ProcessorWiring, 'maxReceiveCount' | 'visionFunctionName' | 'watermarkFiles' | 'settings'>;
  /** Its queue; its visibility timeout must be at least `visibilityTimeoutFactor` x this function's timeout. */
  readonly ingest: IngestQueue;
  readonly vision: VisionBackend;
  /** Memory, timeout, batch size and window, concurrency: the `processor*` settings (defaults in the schema). */
  readonly settings: ProcessorSettings;
}

/**
 * What the processor's asset holds: its handler bundled with sharp left external (its native binaries are for
 * linux-arm64, not the synth host), and, after esbuild, sharp itself when no layer brings it (`sharpInAsset`), then
 * the files its steps read beside the bundle, each as its step declares it (the image watermarks eager presets draw,
 * as the render function's do; the places data; c2pa-rs's module and the trust anchors), and libjxl's WASM decoder
 * (lib/constructs/jxl-bundling.ts), which the core's decode reads.
 */
export function processorCode(
  scope: Construct,
  settings: ProcessorSettings,
  sharpInAsset: boolean,
): Pick<NodeFunctionProps, 'entry' | 'externalModules' | 'commandHooks' | 'runsSteps'> {
  return {
    entry: 'lambdas/ingest/functions/processor/handler.ts',
    externalModules: ['sharp'],
    runsSteps: true,
    commandHooks: PROCESSOR.bundledData.reduce(
      (hooks, data) => bundledDataHooks(data, hooks, { scope, settings }),
      withJxlDecoder(watermarkBundlingHooks(scope, {}, sharpInAsset)),
    ),
  };
}

/**
 * The SQS-driven image processor: Node 22 on arm64, sharp for linux-arm64 from a layer (or, with
 * `sharpPackaging=bundle`, in its own asset), batches with partial batch failures whose images are processed
 * concurrently as far as its memory allows, least-privilege access to exactly the keys, items, postings and bus it uses.
 */
export class ImageProcessor extends Construct {
  public readonly function: NodeFunction;
  /** The sharp layer the function uses; undefined with `sharpPackaging=bundle`. */
  public readonly sharpLayer?: LayerVersion;
  public readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: ImageProcessorProps) {
    super(scope, id);
    const { settings, vision } = props;
    const problems = processingProblems(settings);
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);
    const timeout = Duration.seconds(settings.processorTimeoutSeconds);
    // Fail the synth, not the deployment: with a shorter visibility timeout a batch Lambda is still retrying
    // would be delivered again.
    const visibility = props.ingest.visibilityTimeout.toSeconds();
    if (visibility < INGEST_QUEUE_DESIGN.visibilityTimeoutFactor * timeout.toSeconds()) {
      throw new Error(
        `${this.node.path}: the ingest queue's visibility timeout (${visibility} s) must be at least ` +
          `${INGEST_QUEUE_DESIGN.visibilityTimeoutFactor} x the processor timeout (processorTimeoutSeconds ` +
          `${timeout.toSeconds()} s)`,
      );
    }

    // Either way sharp stays external to esbuild: its native binaries are for linux-arm64, not the synth host.
    if (settings.sharpPackaging === 'layer') {
      this.sharpLayer = new LayerVersion(this, 'SharpLayer', {
        code: sharpLayerCode(),
        compatibleRuntimes: [Runtime.NODEJS_22_X],
        compatibleArchitectures: [Architecture.ARM_64],
        description: `sharp ${lockedSharpVersion()} with libvips for linux-arm64 (glibc)`,
      });
    }

    this.function = new NodeFunction(this, 'Function', {
      ...processorCode(this, settings, this.sharpLayer === undefined),
      serviceName: 'image-intel-processor',
      description: pipelineFunction('processor').does,
      memorySize: settings.processorMemoryMb,
      timeout,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      layers: this.sharpLayer ? [this.sharpLayer] : undefined,
      environment: {
        ...PROCESSOR.environmentFor({
          ...props.wiring,
          maxReceiveCount: INGEST_QUEUE_DESIGN.maxReceiveCount,
          visionFunctionName: vision.function?.functionName,
          settings,
          watermarkFiles: 'bundle',
        }),
        ...NATIVE_MEMORY_ENVIRONMENT,
      },
    });

    // What it uses of the tables, bucket, bus, vision and people: granted by the stack, as
    // lambdas/manifest/manifest.ts declares it.

    // Its grantConsumeMessages adds sqs:GetQueueAttributes, GetQueueUrl and ChangeMessageVisibility, which the
    // event source mapping uses and no call of the handler makes (test/support/permissions/explained.ts).
    this.eventSource = new SqsEventSource(props.ingest.queue, {
      batchSize: settings.processorBatchSize,
      maxBatchingWindow: Duration.seconds(settings.processorBatchWindowSeconds),
      reportBatchItemFailures: true,
      maxConcurrency: processorConcurrency(settings),
    });
    this.function.addEventSource(this.eventSource);
  }
}
