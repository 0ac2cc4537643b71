import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createS3Client } from '../../../lambdas/shared/aws-clients';
import { S3EnvSchema } from '../../../lambdas/shared/contract';
import { S3ImageObjects } from '../../../lambdas/store/image-objects';
import { useApiEnv } from '../../support/api-events';

describe('SDK clients for the API', () => {
  beforeEach(() => useApiEnv());
  afterEach(() => {
    delete process.env.AWS_ENDPOINT_URL;
  });

  it('signs virtual-hosted URLs by default', async () => {
    const s3 = createS3Client(S3EnvSchema.parse({}));
    const url = new URL(await new S3ImageObjects(s3).presignDownload('bucket-1', 'uploads/a.jpg', 60));
    expect(url.host).toBe('bucket-1.s3.eu-west-1.amazonaws.com');
  });

  it('signs path-style URLs against AWS_ENDPOINT_URL when AWS_S3_FORCE_PATH_STYLE=true, as emulators need', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    const s3 = createS3Client(S3EnvSchema.parse({ AWS_S3_FORCE_PATH_STYLE: 'true' }));
    const url = new URL(await new S3ImageObjects(s3).presignDownload('bucket-1', 'uploads/a.jpg', 60));
    expect(`${url.origin}${url.pathname}`).toBe('http://localhost:4566/bucket-1/uploads/a.jpg');
  });

  it('refuses an AWS_S3_FORCE_PATH_STYLE that is not true or false', () => {
    expect(S3EnvSchema.safeParse({ AWS_S3_FORCE_PATH_STYLE: 'yes' }).success).toBe(false);
  });

  it('drops undefined attributes when writing items, so optional fields need no cleaning', () => {
    const client = createDocumentClient();
    expect(client).toBeInstanceOf(DynamoDBDocumentClient);
    expect(client.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });
});
