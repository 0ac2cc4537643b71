import type { DeploymentSettings } from '../settings';
import type { QueueDeclaration, ScheduleDeclaration, TableDeclaration } from '../settings/resources';
import type { ApiFunction } from './api-function';
import type { ImageCleanupContract, ImageCleanupModule } from './image-cleanup';
import type { PipelineFunction } from './pipeline-function';
import type { ProcessorStep } from './processor-step';
import type { StepDeclaration } from './processor-step-contract';

/**
 * Set, as `true`, in the bundle of every function but the processor (esbuild's `define`,
 * lib/constructs/node-function.ts): there
 * `process.env.IMAGE_INTEL_STEPS_ELSEWHERE ? stepElsewhere : () => require(...)` is `stepElsewhere`, and esbuild
 * leaves the step's module, and all it imports, out of the bundle. The rooms' manifests are read by functions that run
 * no step (the trash's, through their cleanups), and the steps brought the whole processor into them: delete-image's
 * bundle was 6.4 MB, with the HEIC decoder, the watermark's fonts and the EXIF and XMP readers. Unbundled (the local
 * runner, the tests) nothing sets it, and every runtime is there. It must be written out, as it is here, in each
 * manifest: esbuild replaces the expression itself, and folds no constant across modules.
 */
export const STEPS_ELSEWHERE = 'process.env.IMAGE_INTEL_STEPS_ELSEWHERE';

/** A step's runtime in a function other than the processor: none, and saying so if ever called. */
export function stepElsewhere(): never {
  throw new Error("a processor step's runtime is bundled with the processor only");
}

/**
 * A processing step a room adds (processor-step.ts): its declaration (the phase it runs in, its contract), and its
 * runtime, loaded only when called. The stack reads the declaration and never calls `runtime`; the processor's entry
 * point calls it as it starts, so the runtime is in its bundle and evaluated there only. Write it as
 * `process.env.IMAGE_INTEL_STEPS_ELSEWHERE ? stepElsewhere : () => require('./steps/x').xStep as typeof
 * import('./steps/x').xStep`: a `require` in a function, which esbuild bundles lazily, and its type, which the
 * processor's deps are made from. The condition keeps the step out of every other function's bundle (STEPS_ELSEWHERE).
 */
export interface RoomStep<R extends ProcessorStep = ProcessorStep> {
  readonly declaration: StepDeclaration;
  readonly runtime: () => R;
}

/**
 * What a room that keeps data about an image does when the image leaves (image-cleanup.ts): its description, which the
 * stack and the trash's functions are wired from, and its runtime, loaded as a step's is (RoomStep).
 */
export interface RoomCleanup<W = unknown> {
  readonly contract: ImageCleanupContract<W>;
  readonly runtime: () => ImageCleanupModule;
}

/**
 * Everything a room adds to the deployment, in one place: its routes, its other functions, its tables, queues and
 * schedules, its processing steps and what it does when an image is deleted. A room writes it as
 * `lambdas/<room>/room.ts` and adds one line to ROOMS (lambdas/manifest/rooms.ts); the stack, the runner, the
 * processor, the trash, the OpenAPI document and the permission tests read it from there with everything else, so a
 * new room touches that line and nothing else outside it (the OpenAPI document is made again from it).
 */
export interface RoomManifest {
  /**
   * Whether a deployment with these settings has the room's routes (its feature on); its tables and queues say so
   * each in their own `when`. @default - every deployment has them
   */
  readonly when?: (settings: Pick<DeploymentSettings, 'faceGrouping' | 'webhooks'>) => boolean;
  readonly routes?: readonly ApiFunction[];
  /** Its functions that are no route, by name (their folder under `functions/`). */
  readonly functions?: Readonly<Record<string, PipelineFunction>>;
  readonly tables?: readonly TableDeclaration[];
  readonly queues?: readonly QueueDeclaration[];
  readonly schedules?: readonly ScheduleDeclaration[];
  /** Its processing steps, each run in its phase (processor-step-contract.ts); in a phase, in ROOMS' order. */
  readonly steps?: readonly RoomStep[];
  /** What it removes of an image deleted for good, or takes out of its lists for the trash (image-cleanup.ts). */
  readonly cleanups?: readonly RoomCleanup[];
}
