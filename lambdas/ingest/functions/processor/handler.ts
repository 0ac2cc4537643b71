import { useEveryCore } from '../../../core/analysis/threads';
import { PROCESSOR_STEP_LIST } from '../../../manifest/step-runners';
import { PROCESSOR } from '../../../manifest/steps';
import { createPowertools } from '../../../shared/powertools';
import { createDeps } from './deps';
import { buildProcessorHandler } from './processor-handler';

useEveryCore();
const config = PROCESSOR.parse(process.env);
const powertools = createPowertools(config);

/**
 * The deployed processor: the registry's steps (lambdas/manifest/steps.ts), real adapters from the environment,
 * built once per container.
 */
export const handler = buildProcessorHandler(
  config,
  createDeps(config, PROCESSOR_STEP_LIST, { tracer: powertools.tracer }),
  powertools,
);
