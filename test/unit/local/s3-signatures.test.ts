import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  type GatewayCredentials,
  gatewayCredentials,
  postPolicyProblem,
  querySignatureProblem,
  s3ErrorXml,
  sizeProblem,
} from '../../../lambdas/local/s3-signatures';

/*
 * The gateway's checks against what the SDK itself signs: getSignedUrl and createPresignedPost with the gateway's
 * credentials and endpoint, as the runner's functions presign on the network (presigning opens no socket).
 */

const HOST = '192.0.2.2:3000';
const credentials = gatewayCredentials();
const clientWith = (signer: GatewayCredentials) =>
  new S3Client({ endpoint: `http://${HOST}/s3`, forcePathStyle: true, region: 'us-east-1', credentials: signer });
const client = clientWith(credentials);

/** The gateway's view of a presigned URL, sent as it is (or changed by `change`). */
function asSent(url: string, method = 'GET', headers: Record<string, string> = { host: HOST }) {
  const { pathname, search } = new URL(url);
  return { method, path: pathname, query: search.slice(1), headers };
}

describe('querySignatureProblem', () => {
  const download = (key = 'uploads/a b+ü.jpg', expiresIn = 300) =>
    getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: 'images', Key: key, ResponseContentDisposition: 'attachment; filename="ü.jpg"' }),
      { expiresIn },
    );

  it('lets a URL the gateway signed through, key and response headers as sent', async () => {
    expect(await querySignatureProblem(asSent(await download()), credentials, new Date())).toBeUndefined();
  });

  it('lets a presigned PUT through as a PUT', async () => {
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'images', Key: 'uploads/x.jpg' }));
    expect(await querySignatureProblem(asSent(url, 'PUT'), credentials, new Date())).toBeUndefined();
  });

  it('refuses the URL with another key', async () => {
    const url = (await download('uploads/mine.jpg')).replace('mine.jpg', 'theirs.jpg');
    expect(await querySignatureProblem(asSent(url), credentials, new Date())).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('refuses a GET URL used for a PUT, and one sent to another host', async () => {
    const url = await download();
    expect(await querySignatureProblem(asSent(url, 'PUT'), credentials, new Date())).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(
      await querySignatureProblem(asSent(url, 'GET', { host: 'localhost:3000' }), credentials, new Date()),
    ).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('refuses an expired URL', async () => {
    const later = new Date(Date.now() + 301_000);
    expect(await querySignatureProblem(asSent(await download()), credentials, later)).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });

  it('refuses a request with no signature, naming what it lacks', async () => {
    const url = (await download()).replace(/&X-Amz-Signature=[0-9a-f]+/, '');
    expect(await querySignatureProblem(asSent(url), credentials, new Date())).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: "the runner's S3 gateway answers only presigned URLs (the ones the API hands out): no X-Amz-Signature",
    });
    expect(await querySignatureProblem(asSent(`http://${HOST}/s3/images/k`), credentials, new Date())).toMatchObject({
      status: 403,
      code: 'AccessDenied',
    });
  });

  it('refuses a URL signed with other credentials (the emulator takes any)', async () => {
    const url = await getSignedUrl(
      clientWith({ accessKeyId: 'test', secretAccessKey: 'test' }),
      new GetObjectCommand({ Bucket: 'images', Key: 'k' }),
    );
    expect(await querySignatureProblem(asSent(url), credentials, new Date())).toMatchObject({
      code: 'InvalidAccessKeyId',
    });
  });

  it('refuses an x-amz-* header the URL did not sign (it would change what the request does)', async () => {
    const headers = { host: HOST, 'x-amz-copy-source': 'images/uploads/other.jpg' };
    expect(await querySignatureProblem(asSent(await download(), 'GET', headers), credentials, new Date())).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'There were headers present in the request which were not signed: x-amz-copy-source',
    });
  });

  it('refuses a DELETE, whatever it carries', async () => {
    expect(await querySignatureProblem(asSent(await download(), 'DELETE'), credentials, new Date())).toMatchObject({
      status: 403,
      code: 'AccessDenied',
    });
  });
});

describe('postPolicyProblem', () => {
  const form = async (expires = 60) => {
    const { fields } = await createPresignedPost(client, {
      Bucket: 'images',
      Key: 'uploads/01ABC.jpg',
      Fields: { 'Content-Type': 'image/jpeg', 'x-amz-checksum-algorithm': 'SHA256' },
      Conditions: [['content-length-range', 5, 5]],
      Expires: expires,
    });
    return fields;
  };

  it('lets the form the gateway signed through, with its size range', async () => {
    expect(await postPolicyProblem(await form(), 'images', credentials, new Date())).toEqual({ lengthRange: [5, 5] });
  });

  it.each([
    ['another key', { key: 'uploads/other.jpg' }, 'Policy Condition failed: ["eq", "$key", "uploads/01ABC.jpg"]'],
    ['another type', { 'Content-Type': 'text/html' }, 'Policy Condition failed: ["eq", "$Content-Type", "image/jpeg"]'],
    [
      'another checksum algorithm',
      { 'x-amz-checksum-algorithm': 'CRC32' },
      'Policy Condition failed: ["eq", "$x-amz-checksum-algorithm", "SHA256"]',
    ],
    ['a field no condition names', { 'x-amz-meta-owner': 'mallory' }, 'Extra input fields: x-amz-meta-owner'],
  ])('refuses the form with %s', async (_, change, reason) => {
    const refused = await postPolicyProblem({ ...(await form()), ...change }, 'images', credentials, new Date());
    expect(refused).toEqual({
      refusal: {
        status: 403,
        code: 'AccessDenied',
        message: expect.stringContaining(`Invalid according to Policy: ${reason}`),
      },
    });
  });

  it('refuses the form posted to another bucket', async () => {
    expect(await postPolicyProblem(await form(), 'other-bucket', credentials, new Date())).toMatchObject({
      refusal: { message: expect.stringContaining('"$bucket", "images"') },
    });
  });

  it('refuses an expired policy', async () => {
    const later = new Date(Date.now() + 61_000);
    expect(await postPolicyProblem(await form(60), 'images', credentials, later)).toEqual({
      refusal: { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' },
    });
  });

  it('refuses a policy changed after it was signed', async () => {
    const fields = await form();
    const policy = JSON.parse(Buffer.from(fields.Policy as string, 'base64').toString()) as { conditions: unknown[] };
    policy.conditions[0] = ['content-length-range', 0, 10_000_000];
    const changed = { ...fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') };
    expect(await postPolicyProblem(changed, 'images', credentials, new Date())).toMatchObject({
      refusal: { status: 403, code: 'SignatureDoesNotMatch' },
    });
  });

  it('refuses a form with no signature or policy', async () => {
    const { 'X-Amz-Signature': _signature, ...unsigned } = await form();
    expect(await postPolicyProblem(unsigned, 'images', credentials, new Date())).toMatchObject({
      refusal: { status: 403, code: 'AccessDenied', message: expect.stringContaining('X-Amz-Signature') },
    });
    expect(await postPolicyProblem({ key: 'uploads/x.jpg' }, 'images', credentials, new Date())).toMatchObject({
      refusal: { status: 403, code: 'AccessDenied' },
    });
  });

  it('refuses a form signed with other credentials', async () => {
    const { fields } = await createPresignedPost(clientWith({ accessKeyId: 'test', secretAccessKey: 'test' }), {
      Bucket: 'images',
      Key: 'k',
    });
    expect(await postPolicyProblem(fields, 'images', credentials, new Date())).toMatchObject({
      refusal: { code: 'InvalidAccessKeyId' },
    });
  });
});

describe('sizeProblem', () => {
  it('lets a file of an allowed size through, and refuses a larger or a smaller one as S3 does', () => {
    expect(sizeProblem(5, { lengthRange: [5, 5] })).toBeUndefined();
    expect(sizeProblem(6, { lengthRange: [5, 5] })).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(sizeProblem(4, { lengthRange: [5, 5] })).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    expect(sizeProblem(10 ** 9, {})).toBeUndefined();
  });
});

describe('s3ErrorXml', () => {
  it("is S3's error document, the message escaped", () => {
    expect(s3ErrorXml({ status: 403, code: 'AccessDenied', message: 'a <b> & "c"' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<Error><Code>AccessDenied</Code><Message>a &#60;b&#62; &#38; &#34;c&#34;</Message></Error>',
    );
  });
});
