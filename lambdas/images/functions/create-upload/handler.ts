import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { createUpload } from './create-upload';
import { CreateUploadEnvSchema, uploadRequestSchema } from './route';

const { config, tools, serve } = apiFunction('create-upload', CreateUploadEnvSchema);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
const requestSchema = uploadRequestSchema({
  allowedTypes: config.ALLOWED_TYPES,
  maxUploadBytes: config.MAX_UPLOAD_BYTES,
  maxRawUploadBytes: config.MAX_RAW_UPLOAD_BYTES,
  maxLivePhotoVideoBytes: config.MAX_LIVE_PHOTO_VIDEO_BYTES,
});

/**
 * POST /uploads `{contentType, size, filename?, tags?, metadata?, sha256?, duplicates?}` → 201 `{imageId, upload:
 * {url, fields}, expiresAt}`, or 200 `{duplicateOf, message}` when the caller already has those bytes.
 */
export const handler = serve(async (event, caller) => {
  const request = parseRequest(requestSchema, jsonBody(event), 'body');
  const response = await createUpload(request, caller, {
    store,
    presigner: objects,
    bucket: config.BUCKET_NAME,
    urlTtlSeconds: config.UPLOAD_URL_TTL_SECONDS,
  });
  if ('duplicateOf' in response) {
    tools.logger.info('duplicate upload skipped', { duplicateOf: response.duplicateOf });
    tools.metrics.addMetric('DuplicateUploadsSkipped', MetricUnit.Count, 1);
    return { statusCode: 200, body: response };
  }
  tools.logger.info('upload URL issued', { imageId: response.imageId, contentType: request.contentType });
  tools.metrics.addMetric('UploadUrlsIssued', MetricUnit.Count, 1);
  return { statusCode: 201, body: response };
});
