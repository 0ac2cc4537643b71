import { readFileSync } from 'node:fs';
import {
  loadViewerRequestFunction,
  RENDITION_REQUEST_FILE,
  renditionRequestCode,
  type ViewerRequestEvent,
} from '../../../lambdas/edge/rendition-request-code';
import { RENDITION_QUERY_NAMES } from '../../../lambdas/renditions/query';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { IMAGE_ID_PATTERN } from '../../../lambdas/store/keys';

/**
 * The viewer-request function in front of a public preset's URL, `/<imageId>/<preset>.<ext>`: only a public
 * preset's file with no query goes on to the cache, with no format header (its cache key is its path alone); any
 * query is a 400 and any other file a 404, from the edge, so neither reaches the origin; signed URLs are as before.
 */

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const ID = '01M81J7NMFPA5YKSZ1JXJWSHP5';
const OPTIONS = { queryNames: RENDITION_QUERY_NAMES, formats: DEFAULT_SETTINGS.renditionFormats };
const handler = loadViewerRequestFunction(
  renditionRequestCode({ ...OPTIONS, publicFiles: ['card.webp', 'thumb.jpg'] }),
  () => NOW,
);

/** A request as CloudFront gives it: the raw query, the parsed one, and these headers. */
function request(uri: string, query = '', headers: Record<string, string> = {}): ViewerRequestEvent {
  const querystring: Record<string, { value: string }> = {};
  for (const [name, value] of new URLSearchParams(query)) querystring[name] = { value };
  return {
    request: {
      uri,
      querystring,
      rawQueryString: () => query,
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { value }])),
    },
  };
}

function refused(event: ViewerRequestEvent, run = handler) {
  const result = run(event);
  if (!('statusCode' in result)) throw new Error('the request went on to the cache');
  return {
    status: result.statusCode,
    description: result.statusDescription,
    cacheControl: result.headers['cache-control']?.value,
    message: (JSON.parse(result.body.data) as { message: string }).message,
  };
}

describe('the viewer-request function, for public preset URLs', () => {
  it('passes a public preset file on, with no format header whatever the client sent', () => {
    const accept = 'image/avif,image/webp,*/*';
    const result = handler(request(`/${ID}/card.webp`, '', { accept, 'x-rendition-format': 'avif' }));
    expect(result).not.toHaveProperty('statusCode');
    expect((result as ViewerRequestEvent['request']).headers).toEqual({ accept: { value: accept } });
    expect((result as ViewerRequestEvent['request']).uri).toBe(`/${ID}/card.webp`);
    expect(handler(request(`/${ID}/thumb.jpg`))).not.toHaveProperty('statusCode');
  });

  it.each(['w=1', 'preset=hero', 'exp=1&kid=k&sig=s', 'utm_source=x', '&'])(
    'refuses the query %s with 400, never cached',
    (query) => {
      expect(refused(request(`/${ID}/card.webp`, query))).toEqual({
        status: 400,
        description: 'Bad Request',
        cacheControl: 'no-store',
        message: 'query: a public rendition URL takes no parameters; for another spec, ask the API for a signed URL',
      });
    },
  );

  it('refuses a query the console gives only as an object, too', () => {
    const event = request(`/${ID}/card.webp`);
    event.request.querystring = { w: { value: '1' } };
    event.request.rawQueryString = () => '';
    expect(refused(event).status).toBe(400);
  });

  it.each([
    `/${ID}/poster.webp`,
    `/${ID}/card.avif`,
    `/${ID}/thumb.jpeg`,
    `/${ID}/card.webp/x`,
    `/${ID}/`,
    `/not-an-image-id/card.webp`,
    `//${ID}/card.webp`,
  ])('refuses %s with 404 from the edge', (uri) => {
    expect(refused(request(uri))).toEqual({
      status: 404,
      description: 'Not Found',
      cacheControl: 'no-store',
      message: 'not a public rendition URL, /<imageId>/<preset>.<ext> (public presets: card.webp, thumb.jpg)',
    });
  });

  it('refuses every public path with 404 when no preset is public (the default)', () => {
    const off = loadViewerRequestFunction(renditionRequestCode(OPTIONS), () => NOW);
    expect(refused(request(`/${ID}/card.webp`), off)).toMatchObject({
      status: 404,
      message: 'not a public rendition URL, /<imageId>/<preset>.<ext> (no preset is public here)',
    });
  });

  it('still refuses an unsigned URL of the signed form, /<imageId>', () => {
    expect(refused(request(`/${ID}`, 'w=400'))).toMatchObject({ status: 403 });
    expect(refused(request(`/${ID}`))).toMatchObject({ status: 403 });
  });

  it('fits CloudFront Functions’ 10 KB code limit with the most public presets of the longest names', () => {
    const longest = Array.from({ length: 16 }, (_, i) => `${'p'.repeat(30)}${String(i).padStart(2, '0')}.avif`);
    const code = renditionRequestCode({ ...OPTIONS, publicFiles: longest });
    expect(code).toContain(`const PUBLIC_FILES = ${JSON.stringify(longest)};`);
    expect(Buffer.byteLength(code)).toBeLessThan(10_240);
  });

  it('refuses, at synth, a public file that is not <preset>.<ext>', () => {
    expect(() => renditionRequestCode({ ...OPTIONS, publicFiles: ['card.webp', '../x'] })).toThrow(
      'public rendition files must be <preset>.<ext>, got ../x',
    );
  });
});

describe('the edge function’s image id pattern', () => {
  it('is the store’s IMAGE_ID_PATTERN: CloudFront Functions cannot import it, so this keeps the copy in step', () => {
    const source = readFileSync(RENDITION_REQUEST_FILE, 'utf8');
    const written = /^const IMAGE_ID = (\/.*\/);$/m.exec(source)?.[1];
    expect(written).toBe(IMAGE_ID_PATTERN.toString());
  });
});
