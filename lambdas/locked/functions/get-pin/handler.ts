import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { createDocumentClient } from '../../../shared/aws-clients';
import { LockStore } from '../../lock-store';
import { GetPinEnvSchema, type PinState } from './route';

const { config, tools, serve } = apiFunction('get-pin', GetPinEnvSchema);
const locks = new LockStore(createDocumentClient(tools.tracer), config.LOCKED_TABLE_NAME);

/** GET /locked/pin → 200 `{set}`: whether the caller has a PIN (one GetItem of their item). */
export const handler = serve(async (_event, caller) => {
  const answer: PinState = { set: (await locks.get(caller.owner)) !== undefined };
  tools.metrics.addMetric('PinStatesRead', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
