import type { z } from 'zod';
import type { Use } from '../kit/uses';
import type { DeploymentSettings } from '../settings';
import type { FunctionEnvironment } from '../settings/env';

/**
 * What the stack and the local runner wire every processor with; a step's contract asks for more in the type of its
 * `environment`'s argument (its table, its settings), and the registry gives the processor the steps' wiring together.
 */
export interface StepWiring {
  readonly settings: Pick<DeploymentSettings, 'maxPixels' | 'inference'>;
  /**
   * Where the files a step reads beside its bundle are (image watermarks, trust anchors): `project` at their
   * configured paths (the local runner), `bundle` copied into the function's asset by the stack (its `bundledData`).
   * @default 'project'
   */
  readonly watermarkFiles?: 'project' | 'bundle';
}

/**
 * A file a step reads beside its bundle, by name: the stack copies each one its steps declare into the processor's
 * asset (lib/constructs/bundled-data.ts), from the settings where they name it.
 */
export type BundledData = 'places' | 'c2pa' | 'trust-anchors' | 'eager-watermarks';

/**
 * What a processing step needs of the deployment, as the stack and the runner read it: the variables it reads, a
 * check across them, its part of the processor's environment, what it does with the deployment's resources
 * (granted to the processor) and the files it reads beside the bundle. A description: it names, it runs nothing.
 * The step itself (processor-step.ts) brings the rest: its adapters (`open`), when its part is stale, and how it
 * takes back what it wrote.
 */
export interface StepContract<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** The variables it reads, parsed with the processor's. */
  readonly env?: Shape;
  /** A check across its variables, once they are parsed (one required with another). */
  check?(env: z.output<z.ZodObject<Shape>>, context: z.RefinementCtx): void;
  /** Its part of the processor's environment, from the wiring its argument's type asks for. */
  readonly environment?: (wiring: never) => FunctionEnvironment;
  /** What it does with the deployment's resources (lambdas/kit/uses.ts). */
  readonly uses?: readonly Use[];
  /** The files it reads beside its bundle. */
  readonly bundledData?: readonly BundledData[];
}

/**
 * When a step runs, in the order a processing run goes through them; the steps of one phase start together, each
 * told what the earlier phases left (none reads the part of a step beside it). Named by what the run has done by
 * then, so a step says where it belongs without naming another room's step.
 */
export const PHASES = [
  // What is no picture at all is taken aside before any decode (a Live Photo's MOV: lambdas/live).
  'arrive',
  // The core decodes and analyses the image, once, and encodes its thumbnails from that decode.
  'decode',
  // Each waits on something of its own (inference, a table, sharp) and reads only the decode.
  'analyse',
  // The owner's rules, on what the analysis found, before anything is stored: they may blur or reject the image.
  'judge',
  // What is made from the analysis and the judgement: the stored thumbnails, eager renditions, faces.
  'derive',
  // What the record will say is there, put in before it.
  'prepare',
  'store',
  // What is made from the stored record.
  'stored',
  // What follows every write of the record and of what was made from it.
  'settled',
  'publish',
  // What goes once the event is out.
  'published',
] as const;

export type Phase = (typeof PHASES)[number];

/**
 * A step of the processor's list, by the name its runtime has (processor-step.ts), with its contract (one contract
 * may serve two steps: the vector made by one and put in the index by another) and the phase it runs in.
 */
export interface StepDeclaration<Name extends string = string> {
  readonly name: Name;
  readonly phase: Phase;
  readonly contract?: StepContract;
}

/** Steps in order, as declared; an inner list is steps that start together. */
export type StepDeclarations = readonly (StepDeclaration | readonly StepDeclaration[])[];
