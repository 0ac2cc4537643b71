import { useEveryCore } from '../../../core/analysis/threads';
import { createPowertools } from '../../../shared/powertools';
import { parseProcessorConfig } from './contract';
import { createDeps } from './deps';
import { buildProcessorHandler } from './processor-handler';

useEveryCore();
const config = parseProcessorConfig(process.env);
const powertools = createPowertools(config);

/** The deployed processor: real adapters from the environment, built once per container. */
export const handler = buildProcessorHandler(config, createDeps(config, { tracer: powertools.tracer }), powertools);
