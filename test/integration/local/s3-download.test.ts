import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ImageObjects } from '../../../lambdas/store/image-objects';
import { testEndpoint } from '../../support/shared-moto';

/**
 * The runner's moto answers a presigned GET's `response-*` parameters as S3 does (moto-launcher.ts): the web app's
 * Download link (`urls.download`) must come back as an attachment under the file's name, not the bare image.
 */
const s3 = new S3Client({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const bucket = `s3-download-${Date.now().toString(36)}`;
const objects = new S3ImageObjects(s3);
const bytes = Buffer.from('not really a jpeg, but bytes all the same');

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/a.jpg', Body: bytes, ContentType: 'image/jpeg' }));
});
afterAll(() => s3.destroy());

describe('a presigned download on the runner', () => {
  it('answers Content-Disposition: attachment under the name it was signed with, with the same bytes', async () => {
    const url = await objects.presignDownload(bucket, 'uploads/a.jpg', 60, 'Plage à Nice.jpg');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Plage _ Nice.jpg"; filename*=UTF-8''Plage%20%C3%A0%20Nice.jpg`,
    );
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('answers no Content-Disposition for a link signed without one (the image shown in place)', async () => {
    const response = await fetch(await objects.presignDownload(bucket, 'uploads/a.jpg', 60));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBeNull();
  });
});
