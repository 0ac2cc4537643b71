import type { z } from 'zod';
import type { SinkWiring } from '../../../events/wiring';
import type { Use } from '../../../manifest/uses';
import type { PeopleWiring } from '../../../people/wiring';
import type { RenditionSettings, WatermarkFiles } from '../../../renditions/functions/render-image/contract';
import type { MeaningWiring } from '../../../search/meaning/contract';
import type { DeploymentSettings } from '../../../settings';
import type { FunctionEnvironment } from '../../../settings/env';

/** What the stack and the local runner wire the processor with; each step's contract takes its part. */
export interface ProcessorWiring extends SinkWiring {
  readonly tableName: string;
  readonly searchTableName: string;
  readonly policyTableName: string;
  readonly bucketName: string;
  /** The ingest queue's redrive count. */
  readonly maxReceiveCount: number;
  /** The offline vision function's name, with `inference=offline`. */
  readonly visionFunctionName?: string;
  /** Where faces and people are kept, with `faceGrouping` (`faceCollectionId` with `inference=rekognition` only). */
  readonly people?: PeopleWiring;
  /** The vector index and its model, with search by meaning on. */
  readonly meaning?: MeaningWiring;
  readonly settings: Pick<
    DeploymentSettings,
    | 'inference'
    | 'thumbnailSizes'
    | 'processorTimeoutSeconds'
    | 'maxPixels'
    | 'maxUploadBytes'
    | 'moderationThreshold'
    | 'processorMemoryMb'
    | 'processorBatchSize'
    | 'processorImagesInFlight'
    | 'sourceBuckets'
    | 'faceGrouping'
    | 'provenanceTrustAnchors'
  > &
    RenditionSettings;
  /**
   * Where the eager presets' image watermarks and the trust anchors file are read, as for the render function:
   * `project` at their configured paths (the local runner), `bundle` copied into the function's asset by the stack.
   * @default 'project'
   */
  readonly watermarkFiles?: WatermarkFiles;
}

/**
 * What a processing step (step.ts) needs of the deployment, as the stack and the runner read it: the variables it
 * reads, a check across them, the part of the processor's environment it makes, and what it does with the
 * deployment's resources (granted to the processor). A description: it names, it runs nothing. The step itself
 * brings the rest: its adapters (`open`), when its part is stale, and how it takes back what it wrote.
 */
export interface StepContract<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** The steps of steps.ts it describes (one, or those that share it: `embed` and `vector`). */
  readonly steps: readonly string[];
  /** The variables it reads, parsed with the processor's (contract.ts). */
  readonly env?: Shape;
  /** A check across its variables, once they are parsed (one required with another). */
  readonly check?: (env: z.output<z.ZodObject<Shape>>, context: z.RefinementCtx) => void;
  /** Its part of the processor's environment. */
  readonly environment?: (wiring: ProcessorWiring) => FunctionEnvironment;
  /** What it does with the deployment's resources (lambdas/manifest/uses.ts). */
  readonly uses?: readonly Use[];
}
