import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { writeEdit } from '../../../images/functions/edit-api';
import { openCleanups } from '../../../manifest/cleanups';
import { recordAssigned, recordRemoved } from '../../../people/functions/face-records';
import { writePlace } from '../../../places/functions/place-api';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { openCarryOver } from '../../carry-over';
import { resolveDuplicates } from '../../resolve';
import { clusterIdParam, createDuplicatesDeps } from '../duplicates-api';
import { ResolveDuplicatesEnvSchema } from '../duplicates-contract';
import { ResolveDuplicatesSchema } from './route';

const { config, tools, serve } = apiFunction('resolve-duplicates', ResolveDuplicatesEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const publisher = eventSinks({ env: config, tracer: tools.tracer });
const cleanups = openCleanups(
  'resolve-duplicates',
  process.env,
  { dynamo, records: new ImageStore(dynamo, config.TABLE_NAME) },
  'trash',
);
const deps = {
  ...createDuplicatesDeps(config, tools.tracer),
  carryOver: openCarryOver(config, {
    dynamo,
    publisher,
    cleanups,
    writers: { writeEdit, writePlace, recordAssigned, recordRemoved },
  }),
};

/** POST /duplicates/{id}/resolve `{keep, trash}` → 200 what was kept, trashed and carried; `Duplicates Resolved`. */
export const handler = serve(async (event, caller) => {
  const body = parseRequest(ResolveDuplicatesSchema, jsonBody(event), 'body');
  return { statusCode: 200, body: await resolveDuplicates(clusterIdParam(event), body, caller, deps) };
});
