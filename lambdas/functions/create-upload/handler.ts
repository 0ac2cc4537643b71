import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { z } from 'zod';
import { ApiEnvSchema, urlTtlSeconds } from '../../shared/api-env';
import { createDocumentClient, createS3Client, S3EnvSchema } from '../../shared/aws-clients';
import { parseEnv } from '../../shared/config';
import { type HttpRoute, httpHandler, jsonBody, parseRequest } from '../../shared/http';
import { S3ImageObjects } from '../../shared/image-objects';
import { ImageStore } from '../../shared/image-store';
import { createPowertools, instrument } from '../../shared/powertools';
import { DeploymentSettingsSchema } from '../../shared/settings';
import { createUpload, uploadRequestSchema } from './create-upload';

const config = parseEnv(
  ApiEnvSchema.extend(S3EnvSchema.shape).extend({
    BUCKET_NAME: z.string().min(1),
    // The stack passes its validated settings; no default here, so a function wired without them fails at start.
    MAX_UPLOAD_BYTES: DeploymentSettingsSchema.shape.maxUploadBytes.unwrap(),
    ALLOWED_TYPES: DeploymentSettingsSchema.shape.allowedTypes.unwrap(),
    UPLOAD_URL_TTL_SECONDS: urlTtlSeconds(900),
  }),
  process.env,
  'create-upload',
);
const tools = createPowertools(config);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
const requestSchema = uploadRequestSchema({
  allowedTypes: config.ALLOWED_TYPES,
  maxUploadBytes: config.MAX_UPLOAD_BYTES,
});

/** POST /uploads `{contentType, size, filename?}` → 201 `{imageId, upload: {url, fields}, expiresAt}`. */
const route: HttpRoute = async (event) => {
  const request = parseRequest(requestSchema, jsonBody(event), 'body');
  const response = await createUpload(request, {
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
