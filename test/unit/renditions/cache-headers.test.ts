import {
  ifNoneMatchHolds,
  RENDITION_CACHE_SECONDS,
  renditionCacheControl,
  renditionEtag,
} from '../../../lambdas/renditions/cache-headers';

const NOW = new Date('2026-11-23T06:00:00Z');
const seconds = (date: Date) => date.getTime() / 1000;

describe('renditionCacheControl', () => {
  it('lets a cache keep a rendition RENDITION_CACHE_SECONDS (a minute), however long its URL still lives', () => {
    expect(RENDITION_CACHE_SECONDS).toBe(60);
    expect(renditionCacheControl(seconds(NOW) + 7 * 24 * 3600, NOW)).toBe('public, max-age=60');
  });

  it('keeps it less when the URL expires sooner, and not at all once it has', () => {
    expect(renditionCacheControl(seconds(NOW) + 20.9, NOW)).toBe('public, max-age=20');
    expect(renditionCacheControl(seconds(NOW) - 5, NOW)).toBe('public, max-age=0');
  });
});

describe('the entity tag', () => {
  const key = 'renditions/01M81J7NMFPA5YKSZ1JXJWSHP5/0123456789abcdef.webp';
  const etag = renditionEtag(key);

  it('is the rendition key, quoted, weak', () => {
    expect(etag).toBe(`W/"${key}"`);
  });

  it('is held by If-None-Match naming it, weak or strong, alone or in a list', () => {
    expect(ifNoneMatchHolds(etag, etag)).toBe(true);
    expect(ifNoneMatchHolds(`"${key}"`, etag)).toBe(true);
    expect(ifNoneMatchHolds(`W/"other", ${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHolds('*', etag)).toBe(true);
  });

  it('is not held by another rendition’s tag, an unquoted key, an empty header or none', () => {
    expect(ifNoneMatchHolds(renditionEtag(key.replace('.webp', '.avif')), etag)).toBe(false);
    expect(ifNoneMatchHolds(key, etag)).toBe(false);
    expect(ifNoneMatchHolds('', etag)).toBe(false);
    expect(ifNoneMatchHolds(undefined, etag)).toBe(false);
  });
});
