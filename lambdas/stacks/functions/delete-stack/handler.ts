import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { deleteStack } from '../../stacks';
import { createStacksDeps, stackIdParam } from '../stacks-api';
import { StacksEnvSchema } from '../stacks-contract';

const { config, tools, serve } = apiFunction('delete-stack', StacksEnvSchema);
const deps = createStacksDeps(config, tools.tracer);

/** DELETE /stacks/{id} → 204. */
export const handler = serve(async (event, caller) => {
  await deleteStack(stackIdParam(event), caller, deps);
  tools.metrics.addMetric('StacksDeleted', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
