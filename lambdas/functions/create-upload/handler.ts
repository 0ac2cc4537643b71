import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, jsonBody, parseRequest } from '../../api/http';
import { parseEnv } from '../../settings/env';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { createPowertools, instrument } from '../../shared/powertools';
import { S3ImageObjects } from '../../store/image-objects';
import { ImageStore } from '../../store/image-store';
import { CreateUploadEnvSchema } from './contract';
import { createUpload, uploadRequestSchema } from './create-upload';

const config = parseEnv(CreateUploadEnvSchema, process.env, 'create-upload');
const tools = createPowertools(config);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
const requestSchema = uploadRequestSchema({
  allowedTypes: config.ALLOWED_TYPES,
  maxUploadBytes: config.MAX_UPLOAD_BYTES,
});

/** POST /uploads `{contentType, size, filename?, tags?, metadata?}` → 201 `{imageId, upload: {url, fields}, expiresAt}`. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const request = parseRequest(requestSchema, jsonBody(event), 'body');
  const response = await createUpload(request, caller, {
    store,
    presigner: objects,
    bucket: config.BUCKET_NAME,
    urlTtlSeconds: config.UPLOAD_URL_TTL_SECONDS,
  });
  tools.logger.info('upload URL issued', { imageId: response.imageId, contentType: request.contentType });
  tools.metrics.addMetric('UploadUrlsIssued', MetricUnit.Count, 1);
  return { statusCode: 201, body: response };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
