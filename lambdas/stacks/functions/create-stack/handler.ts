import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { createStack } from '../../stacks';
import { createStacksDeps, stackView } from '../stacks-api';
import { CreateStackSchema, StacksEnvSchema } from '../stacks-contract';

const { config, tools, serve } = apiFunction('create-stack', StacksEnvSchema);
const deps = createStacksDeps(config, tools.tracer);

/** POST /stacks `{imageIds, primary?}` → 201 the stack. */
export const handler = serve(async (event, caller) => {
  const input = parseRequest(CreateStackSchema, jsonBody(event), 'body');
  const stack = await createStack(input, caller, deps);
  tools.logger.info('stack made', { stackId: stack.stackId, frames: stack.frames.length });
  tools.metrics.addMetric('StacksCreated', MetricUnit.Count, 1);
  return { statusCode: 201, body: await stackView(stack, deps) };
});
