import type { ProcessorDeps as IngestDeps } from '../ingest/functions/processor/ports';
import { decodeStep } from '../ingest/functions/processor/steps/decode';
import { publishStep } from '../ingest/functions/processor/steps/publish';
import { storeStep } from '../ingest/functions/processor/steps/store';
import { thumbnailsStep } from '../ingest/functions/processor/steps/thumbnails';
import type { DepsOf, ProcessorStep, StepList } from '../kit/processor-step';
import type { StepDeclaration } from '../kit/processor-step-contract';
import { followMergesStep, peopleStep } from '../people/steps/people';
import { placeStep } from '../places/steps/place';
import { policyStep } from '../policy/steps/policy';
import { provenanceStep } from '../provenance/steps/provenance';
import { eagerRenditionsStep, renditionsStep } from '../renditions/steps/renditions';
import { staleRenditionsStep } from '../renditions/steps/stale-renditions';
import { duplicatesStep } from '../search/steps/duplicates';
import { embedStep, vectorStep } from '../search/steps/embed';
import { searchIndexStep } from '../search/steps/search-index';
import { visionStep } from '../vision/steps/vision';
import { PROCESSOR_STEPS, type StepName } from './steps';

/**
 * Each declared step's runtime, by its name (not a description: the processor's entry point and the tests read it,
 * never the stack). The list and its order are steps.ts's; a step declared without a runtime here, or a runtime of
 * no declared step, fails to compile.
 */
const RUNNERS = {
  decode: decodeStep,
  vision: visionStep,
  duplicates: duplicatesStep,
  renditions: renditionsStep,
  embed: embedStep,
  place: placeStep,
  provenance: provenanceStep,
  policy: policyStep,
  thumbnails: thumbnailsStep,
  'eager-renditions': eagerRenditionsStep,
  people: peopleStep,
  vector: vectorStep,
  store: storeStep,
  index: searchIndexStep,
  'follow-merges': followMergesStep,
  publish: publishStep,
  'stale-renditions': staleRenditionsStep,
} satisfies Record<StepName, ProcessorStep>;

function runnerOf(step: StepDeclaration): ProcessorStep {
  const runner: ProcessorStep = RUNNERS[step.name as StepName];
  if (runner.name !== step.name) throw new Error(`the step declared as ${step.name} runs as ${runner.name}`);
  return runner;
}

/** The processor's steps, in the registry's order (steps.ts), as the processor runs them. */
export const PROCESSOR_STEP_LIST: StepList = PROCESSOR_STEPS.map((entry) =>
  Array.isArray(entry) ? entry.map(runnerOf) : runnerOf(entry as StepDeclaration),
);

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** What the processor works with: its own (ingest's ports.ts), and each step's own adapters, as its `open` makes them. */
export type ProcessorDeps = IngestDeps & Intersection<DepsOf<(typeof RUNNERS)[StepName]>>;
