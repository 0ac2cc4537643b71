import { apiFunction } from '../../../api/http';
import { ownStack } from '../../stacks';
import { createStacksDeps, stackIdParam, stackView } from '../stacks-api';
import { StacksEnvSchema } from '../stacks-contract';

const { config, tools, serve } = apiFunction('get-stack', StacksEnvSchema);
const deps = createStacksDeps(config, tools.tracer);

/** GET /stacks/{id} → 200 the stack and its frames. */
export const handler = serve(async (event, caller) => {
  const stack = await ownStack(stackIdParam(event), caller, deps);
  return { statusCode: 200, body: await stackView(stack, deps) };
});
