import { request } from 'node:http';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ImageApiClient, type ImageView, postToS3, type UploadTicket } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { type RunnerProcess, startRunner } from '../support/runner-process';

/**
 * `npm start -- --host 0.0.0.0 --auth apikey`: every URL the runner hands out reaches it from another machine, the
 * presigned S3 ones through its gateway (lambdas/local/s3-gateway.ts), and the gateway lets a client on the network
 * reach the emulator (which checks no signature) only with what the runner signed. Its own runner: no shared profile
 * serves the network.
 */
jest.setTimeout(180_000);

let runner: RunnerProcess;
let api: ImageApiClient;
const PIER = fixture('photos/pier.jpg');

beforeAll(async () => {
  runner = await startRunner({ auth: 'apikey', args: ['--host', '0.0.0.0'] });
  api = new ImageApiClient(runner.ready.apiUrl, { apiKey: runner.ready.apiKey });
}, 240_000);
afterAll(() => runner?.stop());

const ticketFor = (bytes: Buffer) =>
  api.call('POST', '/uploads', {
    contentType: 'image/jpeg',
    size: bytes.length,
    filename: 'pier.jpg',
  }) as Promise<UploadTicket>;
const text = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.text() };
};

describe('on the network, the S3 URLs the runner hands out', () => {
  let processed: ImageView & { urls: { original: string; download: string; thumbnails: Record<string, string> } };

  it('name the address it serves: an upload through its form is PROCESSED, its original and thumbnails open', async () => {
    const { apiUrl, bucket } = runner.ready;
    expect(new URL(apiUrl).hostname).not.toMatch(/^(localhost|127\.|\[::1\])/);
    const ticket = await ticketFor(PIER);
    expect(ticket.upload.url).toBe(`${apiUrl}/s3/${bucket}`);
    expect(runner.ready.s3Gateway).toBe(`${apiUrl}/s3`);
    await postToS3(ticket, PIER);
    processed = (await api.waitForFinal(ticket.imageId)) as typeof processed;
    expect(processed.status).toBe('PROCESSED');

    const { original, download, thumbnails } = processed.urls;
    for (const url of [original, download, ...Object.values(thumbnails)])
      expect(url).toMatch(`${apiUrl}/s3/${bucket}/`);
    const opened = await fetch(original);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(PIER);
    expect((await fetch(download)).headers.get('content-disposition')).toMatch(/^attachment; filename="pier\.jpg"/);
    expect((await fetch(thumbnails['128'] as string)).headers.get('content-type')).toBe('image/webp');
  });

  it('let nothing unsigned through to the emulator: 403 with an S3 error', async () => {
    const { apiUrl, bucket } = runner.ready;
    const object = `${apiUrl}/s3/${bucket}/uploads/${processed.imageId}.jpg`;
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await text(object, { method, ...(method === 'PUT' && { body: 'x' }) });
      expect({ method, ...answer }).toEqual({
        method,
        status: 403,
        body: expect.stringContaining('<Code>AccessDenied</Code>'),
      });
    }
    expect((await text(`${apiUrl}/s3/`)).status).toBe(403);
    // A signed URL for one object does not open another.
    const other = processed.urls.original.replace('uploads/', 'thumbnails/');
    expect(await text(other)).toEqual({
      status: 403,
      body: expect.stringContaining('<Code>SignatureDoesNotMatch</Code>'),
    });
  });

  it('refuse a form without its signature, and a file of another size than it was signed for', async () => {
    const ticket = await ticketFor(PIER);
    const { 'X-Amz-Signature': _signature, ...unsigned } = ticket.upload.fields;
    await expect(postToS3({ ...ticket, upload: { ...ticket.upload, fields: unsigned } }, PIER)).rejects.toThrow(
      /S3 refused the upload: 403 .*<Code>AccessDenied<\/Code>/s,
    );
    await expect(postToS3(ticket, Buffer.concat([PIER, Buffer.from('!')]))).rejects.toThrow(
      /S3 refused the upload: 400 .*<Code>EntityTooLarge<\/Code>/s,
    );
    await expect(postToS3(ticket, PIER.subarray(1))).rejects.toThrow(/400 .*<Code>EntityTooSmall<\/Code>/s);
    // None reached the bucket: the emulator never had a whole body.
    const s3 = new S3Client({
      ...{ endpoint: runner.ready.endpoint, forcePathStyle: true, region: 'us-east-1' },
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const key = ticket.upload.fields.key as string;
    await expect(s3.send(new HeadObjectCommand({ Bucket: runner.ready.bucket, Key: key }))).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('answer a Host that is not the runner with 421, as every route', async () => {
    const { port } = new URL(runner.ready.apiUrl);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const sent = request(
        { host: '127.0.0.1', port, path: '/s3/', headers: { host: `evil.example:${port}` } },
        (r) => {
          r.resume();
          resolve(r.statusCode);
        },
      );
      sent.on('error', reject);
      sent.end();
    });
    expect(status).toBe(421);
  });
});
