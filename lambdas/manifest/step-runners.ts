import type { ProcessorDeps as IngestDeps } from '../ingest/functions/processor/ports';
import type { DepsOf, ProcessorStep, StepList } from '../kit/processor-step';
import type { StepDeclaration } from '../kit/processor-step-contract';
import { type DeclaredRoomStep, PROCESSOR_STEPS, ROOM_STEPS } from './steps';

/**
 * Each declared step's runtime, loaded from its room's manifest (its `runtime`) when the processor's entry point or a
 * test reads this module, never by the stack. A runtime whose name is not its declaration's is refused.
 */
const RUNNERS = new Map(
  ROOM_STEPS.map(({ declaration, runtime }) => {
    const runner = runtime();
    if (runner.name !== declaration.name) {
      throw new Error(`the step declared as ${declaration.name} runs as ${runner.name}`);
    }
    return [declaration.name, runner] as const;
  }),
);

function runnerOf(step: StepDeclaration): ProcessorStep {
  const runner = RUNNERS.get(step.name);
  if (!runner) throw new Error(`no runtime for the step ${step.name}`);
  return runner;
}

/** The processor's steps, in the registry's order (steps.ts), as the processor runs them. */
export const PROCESSOR_STEP_LIST: StepList = PROCESSOR_STEPS.map((entry) =>
  Array.isArray(entry) ? entry.map(runnerOf) : runnerOf(entry as StepDeclaration),
);

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type RuntimeOf<S> = S extends { runtime: () => infer R } ? R : never;

/** What the processor works with: its own (ingest's ports.ts), and each step's own adapters, as its `open` makes them. */
export type ProcessorDeps = IngestDeps & Intersection<DepsOf<RuntimeOf<DeclaredRoomStep>>>;
