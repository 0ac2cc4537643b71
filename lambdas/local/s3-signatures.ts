import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { getSigningKey } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

/**
 * What the runner's S3 gateway (s3-gateway.ts) lets through to the emulator, which checks no signature: a presigned
 * URL (GET, HEAD, PUT) or a presigned POST form signed with the gateway's own credentials, unexpired, the form's
 * policy holding for every field. Signatures are computed by the SDK's own presigner and signing key, the way
 * getSignedUrl and createPresignedPost made them; only the comparison and the policy's conditions are here.
 */

/** Credentials the runner's presigned URLs are signed with, made at each start and known to nobody else. */
export interface GatewayCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A refusal as S3 words it: its status, its error code and a message saying what to do. */
export interface S3Refusal {
  status: 400 | 403 | 503;
  code: string;
  message: string;
}

/** Fresh credentials: they live only as long as the runner, as do the URLs signed with them. */
export function gatewayCredentials(): GatewayCredentials {
  return {
    accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/** S3's error document for a refusal. */
export function s3ErrorXml(refusal: S3Refusal): string {
  const escaped = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${refusal.code}</Code><Message>${escaped(refusal.message)}</Message></Error>`
  );
}

const denied = (message: string): S3Refusal => ({ status: 403, code: 'AccessDenied', message });

/** The smithy checksum interface on node:crypto (the SDK's own hash module is not a dependency of ours). */
class Sha256 {
  private hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const bytes = (data: SourceData): Uint8Array | string =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** A request to the gateway as it arrived: its path and query exactly as sent (they are what was signed). */
export interface GatewayRequest {
  method: string;
  /** The path, still percent-encoded (`/s3/bucket/uploads/a%20b.jpg`). */
  path: string;
  /** The query string without its `?`, still percent-encoded. */
  query: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

const QUERY_AUTH = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders'];
/** S3's longest presigned URL, a week; a later date than now by more than its clock skew is not valid yet. */
const MAX_EXPIRES_SECONDS = 604_800;
const SKEW_MS = 15 * 60_000;

/** Why a presigned GET, HEAD or PUT is refused, or undefined if the gateway's credentials signed it and it is current. */
export async function querySignatureProblem(
  request: GatewayRequest,
  credentials: GatewayCredentials,
  now: Date,
): Promise<S3Refusal | undefined> {
  if (!['GET', 'HEAD', 'PUT'].includes(request.method)) {
    return denied(`${request.method}: the runner's S3 gateway answers only presigned GET, HEAD, PUT and POST forms`);
  }
  const query = parseQuery(request.query);
  if (!query) return denied('the query string is not valid percent-encoding');
  const signature = query['X-Amz-Signature'];
  const missing = [...QUERY_AUTH, 'X-Amz-Signature'].filter((name) => query[name] === undefined);
  if (signature === undefined || missing.length > 0) {
    return denied(
      `the runner's S3 gateway answers only presigned URLs (the ones the API hands out): no ${missing.join(', ')}`,
    );
  }
  const scope = credentialScope(query['X-Amz-Credential'] as string, credentials);
  if ('refusal' in scope) return scope.refusal;
  const signedAt = amzDate(query['X-Amz-Date'] as string);
  const expires = Number(query['X-Amz-Expires']);
  if (!signedAt || !Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
    return denied('X-Amz-Date or X-Amz-Expires is not valid');
  }
  if (signedAt.getTime() - SKEW_MS > now.getTime()) return denied('Request is not valid yet (X-Amz-Date is ahead)');
  if (signedAt.getTime() + expires * 1000 < now.getTime()) return denied('Request has expired');
  if (query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') return denied('X-Amz-Algorithm must be AWS4-HMAC-SHA256');

  // As S3: an x-amz-* header changes what a request does (a copy source, a checksum), so it must have been signed.
  const signedHeaders = (query['X-Amz-SignedHeaders'] as string).split(';');
  const unsignedAmz = Object.keys(request.headers).filter(
    (name) => name.toLowerCase().startsWith('x-amz-') && !signedHeaders.includes(name.toLowerCase()),
  );
  if (unsignedAmz.length > 0) {
    return denied(`There were headers present in the request which were not signed: ${unsignedAmz.join(', ')}`);
  }
  // The request as getSignedUrl signed it: the headers it named, the query without what presigning adds.
  const host = header(request.headers, 'host') ?? '';
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const unsigned = Object.fromEntries(
    Object.entries(query).filter(([name]) => name !== 'X-Amz-Signature' && !QUERY_AUTH.includes(name)),
  );
  const presigner = new S3RequestPresigner({ credentials, region: scope.region, sha256: Sha256 });
  const expected = await presigner.presign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path: request.path,
      query: unsigned,
      headers,
    },
    { signingDate: signedAt, expiresIn: expires, signingRegion: scope.region },
  );
  if (!sameHex(String(expected.query?.['X-Amz-Signature']), signature)) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided',
    };
  }
  return undefined;
}

/** A presigned POST form's fields, by name as sent. */
export type FormFields = Readonly<Record<string, string>>;

/** What a valid form allows of its file's size (the policy's content-length-range), if it says. */
export interface FormAllowance {
  lengthRange?: readonly [number, number];
}

/**
 * Why a presigned POST form is refused, or what it allows: its policy signed with the gateway's credentials and not
 * expired, each of its conditions met by the fields (and `bucket` by the URL's), and every field but the signature,
 * the policy and `x-ignore-*` named by a condition, as S3 asks.
 */
export async function postPolicyProblem(
  fields: FormFields,
  bucket: string,
  credentials: GatewayCredentials,
  now: Date,
): Promise<{ refusal: S3Refusal } | FormAllowance> {
  const form = new Map(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), value]));
  const policy = form.get('policy');
  const signature = form.get('x-amz-signature');
  const credential = form.get('x-amz-credential');
  const date = form.get('x-amz-date');
  if (!policy || !signature || !credential || !date) {
    return {
      refusal: denied(
        "the runner's S3 gateway takes only presigned POST forms (the API's upload form): Policy, X-Amz-Signature, " +
          'X-Amz-Credential and X-Amz-Date are required',
      ),
    };
  }
  if (form.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    return { refusal: denied('X-Amz-Algorithm must be AWS4-HMAC-SHA256') };
  }
  const scope = credentialScope(credential, credentials);
  if ('refusal' in scope) return scope;
  const signingKey = await getSigningKey(Sha256, credentials, scope.day, scope.region, 's3');
  const expected = createHmac('sha256', signingKey).update(policy).digest('hex');
  if (!sameHex(expected, signature)) {
    return {
      refusal: {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided',
      },
    };
  }
  const document = parsePolicy(policy);
  if (!document) return { refusal: invalidPolicy('the policy is not a JSON document with expiration and conditions') };
  const expiration = Date.parse(document.expiration);
  if (!(expiration > now.getTime())) return { refusal: invalidPolicy('Policy expired.') };
  // The URL's bucket is the one written to, so the policy must name it (createPresignedPost's `{bucket}`).
  form.set('bucket', bucket);
  const covered = new Set(['policy', 'x-amz-signature', 'file']);
  let lengthRange: readonly [number, number] | undefined;
  for (const condition of document.conditions) {
    const checked = conditionProblem(condition, form);
    if (typeof checked === 'string') return { refusal: invalidPolicy(`Policy Condition failed: ${checked}`) };
    if ('range' in checked) lengthRange = checked.range;
    else covered.add(checked.field);
  }
  const extra = [...form.keys()].find((name) => !covered.has(name) && !name.startsWith('x-ignore-'));
  if (extra) {
    return { refusal: invalidPolicy(`Extra input fields: ${extra} (each field must be named by a condition)`) };
  }
  return lengthRange ? { lengthRange } : {};
}

/** Why a form's file of `size` bytes is refused by what its policy allows, or undefined. */
export function sizeProblem(size: number, allowance: FormAllowance): S3Refusal | undefined {
  const [min, max] = allowance.lengthRange ?? [0, Number.POSITIVE_INFINITY];
  if (size > max) {
    return {
      status: 400,
      code: 'EntityTooLarge',
      message: `Your proposed upload exceeds the maximum allowed size (${max} bytes)`,
    };
  }
  if (size < min) {
    return {
      status: 400,
      code: 'EntityTooSmall',
      message: `Your proposed upload is smaller than the minimum allowed size (${min} bytes)`,
    };
  }
  return undefined;
}

const invalidPolicy = (reason: string): S3Refusal => denied(`Invalid according to Policy: ${reason}`);

/** One condition: the field it names, the size range it sets, or what failed (as S3 shows it). */
function conditionProblem(
  condition: unknown,
  form: Map<string, string>,
): { field: string } | { range: [number, number] } | string {
  const shown = JSON.stringify(condition);
  if (Array.isArray(condition)) {
    const [operator, name, value] = condition as unknown[];
    if (operator === 'content-length-range' && typeof name === 'number' && typeof value === 'number') {
      return { range: [name, value] };
    }
    if ((operator === 'eq' || operator === 'starts-with') && typeof name === 'string' && typeof value === 'string') {
      const field = name.replace(/^\$/, '').toLowerCase();
      const actual = form.get(field);
      const holds = actual !== undefined && (operator === 'eq' ? actual === value : actual.startsWith(value));
      return holds ? { field } : shown;
    }
    return `${shown} (not a condition the gateway knows)`;
  }
  if (condition && typeof condition === 'object') {
    const entries = Object.entries(condition);
    const [name, value] = entries[0] ?? [];
    if (entries.length !== 1 || typeof name !== 'string' || typeof value !== 'string') return shown;
    const field = name.toLowerCase();
    return form.get(field) === value ? { field } : `["eq", "$${name}", ${JSON.stringify(value)}]`;
  }
  return shown;
}

function parsePolicy(policy: string): { expiration: string; conditions: unknown[] } | undefined {
  try {
    const document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as {
      expiration?: unknown;
      conditions?: unknown;
    };
    if (typeof document.expiration !== 'string' || !Array.isArray(document.conditions)) return undefined;
    return { expiration: document.expiration, conditions: document.conditions };
  } catch {
    return undefined;
  }
}

/** `<key id>/<yyyymmdd>/<region>/s3/aws4_request`, naming the gateway's key. */
function credentialScope(
  credential: string,
  credentials: GatewayCredentials,
): { day: string; region: string } | { refusal: S3Refusal } {
  const [keyId, day, region, service, terminal] = credential.split('/');
  if (keyId !== credentials.accessKeyId) {
    return {
      refusal: {
        status: 403,
        code: 'InvalidAccessKeyId',
        message:
          'The AWS Access Key Id you provided is not one of this runner (URLs from before a restart no longer work)',
      },
    };
  }
  if (!day || !/^\d{8}$/.test(day) || !region || service !== 's3' || terminal !== 'aws4_request') {
    return { refusal: denied(`X-Amz-Credential is not a credential scope of S3: ${credential}`) };
  }
  return { day, region };
}

/** `20261129T103653Z` as a date. */
function amzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The query's parameters, decoded; undefined if one is not valid percent-encoding. */
function parseQuery(query: string): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  try {
    for (const pair of query.split('&').filter(Boolean)) {
      const at = pair.indexOf('=');
      const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      parameters[decodeURIComponent(name)] = decodeURIComponent(value);
    }
  } catch {
    return undefined;
  }
  return parameters;
}

function header(headers: GatewayRequest['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameHex(expected: string, given: string): boolean {
  const [a, b] = [Buffer.from(expected), Buffer.from(given.toLowerCase())];
  return a.length === b.length && timingSafeEqual(a, b);
}
