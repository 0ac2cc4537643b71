import { createHash, createHmac } from 'node:crypto';

/** Credentials to sign with (LocalStack accepts any, but reads the region and service from the signature). */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignableRequest {
  method: string;
  url: URL;
  /** Headers to send and sign, besides `host` and `x-amz-date`, which are added. */
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The headers that sign `request` with AWS Signature Version 4: the request's own, `x-amz-date` and
 * `authorization`. Enough for the one management call deploy:local makes, so the project needs no API Gateway
 * SDK client. Follows the documented algorithm for services other than S3 (path segments encoded twice).
 */
export function signV4(
  request: SignableRequest,
  credentials: SigningCredentials,
  scope: { region: string; service: string },
  now: Date = new Date(),
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...request.headers, 'x-amz-date': amzDate };
  const toSign: Record<string, string> = { host: request.url.host };
  for (const [name, value] of Object.entries(headers)) toSign[name.toLowerCase()] = value.trim().replace(/\s+/g, ' ');
  const names = Object.keys(toSign).sort();
  const signedHeaders = names.join(';');
  const query = [...request.url.searchParams]
    .map(([key, value]) => [encode(key), encode(value)])
    .sort(([a = '', x = ''], [b = '', y = '']) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.url.pathname.split('/').map(encode).join('/') || '/',
    query,
    ...names.map((name) => `${name}:${toSign[name]}`),
    '',
    signedHeaders,
    sha256(request.body ?? ''),
  ].join('\n');
  const credentialScope = `${date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** RFC 3986 percent-encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}
