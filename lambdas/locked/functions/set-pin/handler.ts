import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { createDocumentClient } from '../../../shared/aws-clients';
import { LockStore } from '../../lock-store';
import { SetPinEnvSchema, SetPinSchema } from './route';
import { setPin } from './set-pin';

const { config, tools, serve } = apiFunction('set-pin', SetPinEnvSchema);
const locks = new LockStore(createDocumentClient(tools.tracer), config.LOCKED_TABLE_NAME);

/** PUT /locked/pin `{pin, current?}` → 200 `{pinVersion}`. */
export const handler = serve(async (event, caller) => {
  const asked = parseRequest(SetPinSchema, jsonBody(event), 'body');
  const answer = await setPin(caller.owner, asked, { locks });
  tools.metrics.addMetric('PinsSet', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
