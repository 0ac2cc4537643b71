import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { setPrimary } from '../../stacks';
import { createStacksDeps, stackIdParam, stackView } from '../stacks-api';
import { StackPrimarySchema, StacksEnvSchema } from '../stacks-contract';

const { config, tools, serve } = apiFunction('set-stack-primary', StacksEnvSchema);
const deps = createStacksDeps(config, tools.tracer);

/** PUT /stacks/{id}/primary `{imageId}` → 200 the stack. */
export const handler = serve(async (event, caller) => {
  const { imageId } = parseRequest(StackPrimarySchema, jsonBody(event), 'body');
  const stack = await setPrimary(stackIdParam(event), imageId, caller, deps);
  return { statusCode: 200, body: await stackView(stack, deps) };
});
