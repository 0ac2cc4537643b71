import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { secretKeySet } from '../../../renditions/key-secret';
import { createDocumentClient } from '../../../shared/aws-clients';
import { LockStore } from '../../lock-store';
import { UnlockEnvSchema, UnlockSchema } from './route';
import { unlock } from './unlock';

const { config, tools, serve } = apiFunction('unlock', UnlockEnvSchema);
const locks = new LockStore(createDocumentClient(tools.tracer), config.LOCKED_TABLE_NAME);
const keys = secretKeySet(config.SIGNING_SECRET_ARN);

/** POST /locked/unlock `{pin}` → 200 `{token, expiresAt}`. */
export const handler = serve(async (event, caller) => {
  const asked = parseRequest(UnlockSchema, jsonBody(event), 'body');
  const answer = await unlock(caller, asked, { locks, keys, ttlSeconds: config.UNLOCK_TOKEN_TTL_SECONDS });
  tools.metrics.addMetric('FolderUnlocks', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
