import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  loadViewerRequestFunction,
  RENDITION_REQUEST_FILE,
  renditionRequestCode,
  type ViewerRequestEvent,
} from '../../../lambdas/edge/rendition-request-code';
import {
  canonicalQuery,
  RENDITION_QUERY_NAMES,
  SCOPE_QUERY_NAMES,
  SIGNATURE_QUERY_NAMES,
  specFromQuery,
} from '../../../lambdas/renditions/query';
import { signRendition, verifyRendition } from '../../../lambdas/renditions/signing';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { renditionLimitsOf } from '../../../lambdas/settings/renditions';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const FUTURE = String(NOW / 1000 + 600);
const CHROME_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

type Query = Record<string, string | string[]>;

/** A viewer request for `/<id>` with this query (a list is a name given several times) and these headers. */
function viewerRequest(query: Query, headers: Record<string, string> = {}): ViewerRequestEvent {
  const querystring = Object.fromEntries(
    Object.entries(query).map(([name, value]) =>
      Array.isArray(value)
        ? [name, { value: value[0] as string, multiValue: value.map((v) => ({ value: v })) }]
        : [name, { value }],
    ),
  );
  return {
    request: {
      uri: '/01M81J7NMFPA5YKSZ1JXJWSHP5',
      querystring,
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { value }])),
    },
  };
}

const IMAGE_ID = '01M81J7NMFPA5YKSZ1JXJWSHP5';
const KEY = { id: 'k1', secret: 's'.repeat(64), created: '2026-01-01T00:00:00.000Z' };
const limits = renditionLimitsOf(DEFAULT_SETTINGS);

/**
 * The request CloudFront makes of a URL: the query as written, from rawQueryString(), and the parsed object in the
 * least helpful reading CloudFront's docs leave open (names and values percent-decoded, empty pairs gone), so that
 * nothing the function decides rests on that object when the raw text is there.
 */
function viewerRequestFromUrl(uri: string, query: string): ViewerRequestEvent {
  const querystring: Record<string, { value: string; multiValue?: { value: string }[] }> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const earlier = querystring[name];
    querystring[name] = earlier
      ? { value: earlier.value, multiValue: [...(earlier.multiValue ?? [{ value: earlier.value }]), { value }] }
      : { value };
  }
  return { request: { uri, querystring, rawQueryString: () => query, headers: {} } };
}

const signed = (spec: Query): Query => ({ ...spec, exp: FUTURE, kid: 'k1', sig: 'c2lnbmF0dXJl' });

const ALL_FORMATS = { queryNames: RENDITION_QUERY_NAMES, formats: DEFAULT_SETTINGS.renditionFormats };
const handler = loadViewerRequestFunction(renditionRequestCode(ALL_FORMATS), () => NOW);

function passed(event: ViewerRequestEvent) {
  const result = handler(event);
  if ('statusCode' in result) throw new Error(`refused: ${result.statusCode} ${result.body.data}`);
  return result;
}

function refused(event: ViewerRequestEvent) {
  const result = handler(event);
  if (!('statusCode' in result)) throw new Error('the request went on to the cache');
  return { status: result.statusCode, message: (JSON.parse(result.body.data) as { message: string }).message };
}

describe('the renditions viewer-request function', () => {
  it('passes a URL the API issued on unchanged, and the origin verifies what it passes', () => {
    const spec = specFromQuery('w=400&h=300&fit=contain&flip&format=webp&crop=10,20,800,600', limits);
    const issued = signRendition({ imageId: IMAGE_ID, query: canonicalQuery(spec), expires: Number(FUTURE), key: KEY });
    const [uri, query] = issued.split('?') as [string, string];
    const request = passed(viewerRequestFromUrl(uri, query));
    expect(request.querystring).toBe(query);
    const verified = verifyRendition(uri, request.querystring as string, { keys: [KEY] }, new Date(NOW));
    expect(verified.query).toBe(canonicalQuery(spec));
  });

  it('puts a shuffled URL back in the order the API signed, so it verifies and shares the cache entry', () => {
    const spec = specFromQuery('w=400&h=300&grayscale&wm=logo&wmo=0.3&format=avif', {
      ...limits,
      watermarks: ['logo'],
    });
    const issued = signRendition({ imageId: IMAGE_ID, query: canonicalQuery(spec), expires: Number(FUTURE), key: KEY });
    const [uri, query] = issued.split('?') as [string, string];
    const shuffled = query.split('&').reverse().join('&');
    expect(shuffled).not.toBe(query);
    const request = passed(viewerRequestFromUrl(uri, shuffled));
    expect(request.querystring).toBe(query);
    expect(() => verifyRendition(uri, request.querystring as string, { keys: [KEY] }, new Date(NOW))).not.toThrow();
  });

  it('gives one spec written in two orders one query, so one cache key', () => {
    const a = passed(viewerRequest({ sig: 's', w: '400', exp: FUTURE, h: '300', kid: 'k1' }));
    const b = passed(viewerRequest({ h: '300', kid: 'k1', exp: FUTURE, w: '400', sig: 's' }));
    expect(a.querystring).toBe(`w=400&h=300&exp=${FUTURE}&kid=k1&sig=s`);
    expect(b.querystring).toBe(a.querystring);
  });

  it.each([
    ['a browser that decodes AVIF', CHROME_ACCEPT, 'avif'],
    ['a browser that decodes WebP only', 'image/webp,*/*', 'webp'],
    ['a client that refuses AVIF with q=0', 'image/avif;q=0, image/webp;q=0.9', 'webp'],
    ['a client that accepts anything', '*/*', 'jpeg'],
    ['a client with wildcards only', 'image/*', 'jpeg'],
    ['a client that names the types in capitals', 'Image/AVIF', 'avif'],
  ])('negotiates the format for %s from Accept: %s', (_, accept, format) => {
    const request = passed(viewerRequest(signed({ w: '400' }), { accept }));
    expect(request.headers['x-rendition-format']).toEqual({ value: format });
  });

  it('negotiates JPEG for a client that sends no Accept header', () => {
    expect(passed(viewerRequest(signed({ w: '400' }))).headers['x-rendition-format']).toEqual({ value: 'jpeg' });
  });

  it('negotiates for format=auto as for no format', () => {
    const request = passed(viewerRequest(signed({ format: 'auto' }), { accept: 'image/webp' }));
    expect(request.headers['x-rendition-format']).toEqual({ value: 'webp' });
  });

  it('reads an Accept header CloudFront gives as several values', () => {
    const event = viewerRequest(signed({ w: '1' }));
    event.request.headers.accept = {
      value: 'image/png',
      multiValue: [{ value: 'image/png' }, { value: 'image/avif' }],
    };
    expect(passed(event).headers['x-rendition-format']).toEqual({ value: 'avif' });
  });

  it('drops a client-sent x-rendition-format when the query names a format, so it cannot split the cache', () => {
    const event = viewerRequest(signed({ format: 'png' }), { 'x-rendition-format': 'avif', accept: CHROME_ACCEPT });
    expect(passed(event).headers['x-rendition-format']).toBeUndefined();
  });

  it('overwrites a client-sent x-rendition-format with the negotiated one', () => {
    const event = viewerRequest(signed({ w: '400' }), { 'x-rendition-format': 'bmp', accept: 'image/webp' });
    expect(passed(event).headers['x-rendition-format']).toEqual({ value: 'webp' });
  });

  it('returns 403 naming the time for a URL whose exp has passed', () => {
    const past = String(NOW / 1000 - 1);
    expect(refused(viewerRequest({ w: '400', exp: past, kid: 'k1', sig: 's' }))).toEqual({
      status: 403,
      message: 'the URL expired at 2026-03-01T11:59:59.000Z',
    });
  });

  it('returns 403 for a URL that expires this very second', () => {
    expect(refused(viewerRequest({ exp: String(NOW / 1000), kid: 'k1', sig: 's' })).status).toBe(403);
  });

  it.each(['exp', 'kid', 'sig'])('returns 403 naming %s for a URL without it', (name) => {
    const query = signed({ w: '400' });
    delete query[name];
    expect(refused(viewerRequest(query))).toEqual({
      status: 403,
      message: `the URL is not signed: ${name} is missing (ask the API for a rendition URL)`,
    });
  });

  it.each(['soon', '-5', '1.5e9', '99999999999999'])(
    'returns 403 for exp=%s, which is not a time in seconds',
    (exp) => {
      expect(refused(viewerRequest({ exp, kid: 'k1', sig: 's' })).message).toMatch(/^exp must be the expiry/);
    },
  );

  it('returns 400 naming a parameter outside the URL grammar', () => {
    const result = refused(viewerRequest(signed({ w: '400', width: '400' })));
    expect(result.status).toBe(400);
    expect(result.message).toMatch(/^unknown query parameter "width": a rendition URL takes w, h, /);
  });

  it.each<[string, (query: string) => string, string]>([
    ['a percent-encoded name', (query) => query.replace('w=400', '%77=400'), 'unknown query parameter "%77"'],
    ['a name in capitals', (query) => query.replace('w=400', 'W=400'), 'unknown query parameter "W"'],
    ['an empty pair', (query) => query.replace('&h=', '&&h='), 'empty query parameter (a stray &)'],
    ['a trailing &', (query) => `${query}&`, 'empty query parameter (a stray &)'],
    ['a leading &', (query) => `&${query}`, 'empty query parameter (a stray &)'],
    ['a parameter twice', (query) => `w=400&${query}`, 'query parameter w is given more than once'],
    ['a parameter twice, once encoded', (query) => `%77=400&${query}`, 'unknown query parameter "%77"'],
  ])('returns 400 for %s, so the spelling never reaches the cache as a key of its own', (_, change, message) => {
    const issued = signRendition({ imageId: IMAGE_ID, query: 'w=400&h=300', expires: Number(FUTURE), key: KEY });
    const [uri, query] = issued.split('?') as [string, string];
    const result = refused(viewerRequestFromUrl(uri, change(query)));
    expect(result.status).toBe(400);
    expect(result.message).toContain(message);
  });

  it("passes a value's other spelling on exactly as written, for the origin (which holds the key) to refuse", () => {
    const issued = signRendition({
      imageId: IMAGE_ID,
      query: 'w=400&crop=10,20,800,600',
      expires: Number(FUTURE),
      key: KEY,
    });
    const [uri, query] = issued.split('?') as [string, string];
    for (const other of [query.replace('w=400', 'w=0400'), query.replaceAll(',', '%2C')]) {
      const request = passed(viewerRequestFromUrl(uri, other));
      expect(request.querystring).toBe(other);
      expect(() => verifyRendition(uri, other, { keys: [KEY] }, new Date(NOW))).toThrow(/^sig: does not match/);
    }
  });

  it("reads the parsed query where rawQueryString() gives '' for a query it has (the console's test events)", () => {
    const event = viewerRequest(signed({ h: '300', w: '400' }));
    event.request.rawQueryString = () => '';
    expect(passed(event).querystring).toBe(`w=400&h=300&exp=${FUTURE}&kid=k1&sig=c2lnbmF0dXJl`);
    const width = viewerRequest(signed({ width: '400' }));
    width.request.rawQueryString = () => '';
    expect(refused(width).status).toBe(400);
  });

  it('returns 400 for a parameter given twice', () => {
    expect(refused(viewerRequest(signed({ w: ['400', '800'] })))).toEqual({
      status: 400,
      message: 'query parameter w is given 2 times: give it once',
    });
  });

  it('answers refusals as JSON that no cache keeps', () => {
    const result = handler(viewerRequest({ w: '400' }));
    expect(result).toMatchObject({
      statusCode: 403,
      headers: { 'content-type': { value: 'application/json' }, 'cache-control': { value: 'no-store' } },
    });
  });

  it('takes the signature parameters the signing module reads', () => {
    expect(readFileSync(RENDITION_REQUEST_FILE, 'utf8')).toContain(
      `const SIGNATURE_NAMES = ${JSON.stringify(SIGNATURE_QUERY_NAMES).replaceAll('"', "'").replaceAll(',', ', ')};`,
    );
  });

  it("takes a share link's scope names as the signing module writes them, none of them a name of the grammar", () => {
    expect(readFileSync(RENDITION_REQUEST_FILE, 'utf8')).toContain(
      `const SCOPE_NAMES = ${JSON.stringify(SCOPE_QUERY_NAMES).replaceAll('"', "'").replaceAll(',', ', ')};`,
    );
    expect(RENDITION_QUERY_NAMES.filter((name) => (SCOPE_QUERY_NAMES as readonly string[]).includes(name))).toEqual([]);
  });

  it("passes a share link's URL on in the order it was signed, so it verifies naming its link", () => {
    const spec = specFromQuery('w=400&h=400&fit=inside', limits);
    const share = { hash: 'a'.repeat(64) };
    const issued = signRendition({
      imageId: IMAGE_ID,
      query: canonicalQuery(spec),
      expires: Number(FUTURE),
      key: KEY,
      share,
    });
    const [uri, query] = issued.split('?') as [string, string];
    expect(uri).not.toContain(IMAGE_ID);
    const request = passed(viewerRequestFromUrl(uri, query.split('&').reverse().join('&')));
    expect(request.querystring).toBe(query);
    const verified = verifyRendition(uri, request.querystring as string, { keys: [KEY] }, new Date(NOW));
    expect(verified).toMatchObject({ imageId: IMAGE_ID, query: canonicalQuery(spec), share });
  });

  it("gives a share link's download no format header: it is the original", () => {
    const share = { hash: 'b'.repeat(64), download: true };
    const issued = signRendition({ imageId: IMAGE_ID, query: '', expires: Number(FUTURE), key: KEY, share });
    const [uri, query] = issued.split('?') as [string, string];
    const request = { ...viewerRequestFromUrl(uri, query) };
    request.request.headers = { accept: { value: CHROME_ACCEPT }, 'x-rendition-format': { value: 'avif' } };
    const passedOn = passed(request);
    expect(passedOn.headers['x-rendition-format']).toBeUndefined();
    expect(verifyRendition(uri, passedOn.querystring as string, { keys: [KEY] }, new Date(NOW)).share).toEqual(share);
  });

  it('admits every name of the URL grammar', () => {
    const spec = Object.fromEntries(RENDITION_QUERY_NAMES.map((name) => [name, '1']));
    const request = passed(viewerRequest(signed(spec)));
    expect((request.querystring as string).split('&')).toHaveLength(RENDITION_QUERY_NAMES.length + 3);
  });
});

describe('renditionRequestCode', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rendition-request-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('admits exactly the names it is given', () => {
    const narrow = loadViewerRequestFunction(
      renditionRequestCode({ ...ALL_FORMATS, queryNames: ['w', 'zoom'] }),
      () => NOW,
    );
    expect('statusCode' in narrow(viewerRequest(signed({ zoom: '2' })))).toBe(false);
    expect(narrow(viewerRequest(signed({ h: '2' })))).toMatchObject({ statusCode: 400 });
  });

  it.each([
    [['jpeg', 'png', 'webp'], 'webp'],
    [['jpeg', 'png'], 'jpeg'],
    [['avif', 'jpeg'], 'avif'],
  ])(
    'negotiates among the allowed formats only: with %j, %s for a browser that takes AVIF and WebP',
    (formats, best) => {
      const only = loadViewerRequestFunction(renditionRequestCode({ ...ALL_FORMATS, formats }), () => NOW);
      const result = only(viewerRequest(signed({ w: '1' }), { accept: CHROME_ACCEPT }));
      expect('statusCode' in result ? result : result.headers['x-rendition-format']).toEqual({ value: best });
    },
  );

  it('refuses a name that could not be a query parameter of the grammar', () => {
    expect(() => renditionRequestCode({ ...ALL_FORMATS, queryNames: ['w', 'a b'] })).toThrow(
      /lower-case words, got \["a b"\]/,
    );
    expect(() => renditionRequestCode({ ...ALL_FORMATS, queryNames: [] })).toThrow(/lower-case words/);
  });

  it('fails rather than deploy a stale list when the file lost its names statement', () => {
    const file = path.join(dir, 'edited.js');
    writeFileSync(file, readFileSync(RENDITION_REQUEST_FILE, 'utf8').replace('const SPEC_NAMES', 'let SPEC_NAMES'));
    expect(() => renditionRequestCode(ALL_FORMATS, file)).toThrow(/no "const SPEC_NAMES = \[\.\.\.\];"/);
  });

  it('fits CloudFront Functions’ 10 KB code limit', () => {
    expect(Buffer.byteLength(renditionRequestCode(ALL_FORMATS))).toBeLessThan(10_240);
  });
});
