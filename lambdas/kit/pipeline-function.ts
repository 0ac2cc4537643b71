import type { z } from 'zod';
import type { FunctionEnvironment } from '../settings/env';
import type { CleanupOccasion } from './image-cleanup';
import type { Use } from './uses';

/** A function that is no route of the API: what sets it off, its environment, and what it uses (uses.ts). */
export interface PipelineFunction {
  /** The feature room that holds it: its folder is `lambdas/<room>/functions/<name>/`. */
  room: string;
  /** What it does, in a sentence: its description in the Lambda console. */
  does: string;
  /** What invokes it, in words (the stack wires it). */
  trigger: string;
  /** Its contract's: each takes the part of the deployment's wiring it needs (`never` here admits any of them). */
  environmentFor: (wiring: never) => FunctionEnvironment;
  /** Every variable its handler reads: what `environmentFor` makes must parse with it (test/infra/contracts.test.ts). */
  envSchema: z.ZodType;
  uses: readonly Use[];
  /**
   * The occasions it runs the rooms' cleanups on (image-cleanup.ts: a purge, a move to the trash and back): the
   * registry adds their variables, environment and uses to its own (lambdas/manifest/cleanups.ts), so it names none.
   */
  cleansUp?: readonly CleanupOccasion[];
}
