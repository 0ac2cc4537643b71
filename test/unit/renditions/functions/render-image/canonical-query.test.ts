import {
  type RenderDeps,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { renditionExpiry, signRendition } from '../../../../../lambdas/renditions/signing';
import { parseSigningKeySet, signingKey } from '../../../../../lambdas/renditions/signing-keys';
import { DEFAULT_SETTINGS } from '../../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../../lambdas/settings/renditions';
import { BadRequestError } from '../../../../../lambdas/shared/errors';
import { processedItem, SECRET_STRING } from '../create-rendition/signing-support';

/**
 * The render function holds a verified query to its canonical spelling too: a value written another way (`w=0200`)
 * is a second cache key for one rendition, which only a signer's bug could have signed (the API signs what
 * canonicalQuery writes; signRendition can tell names and order without the limits, not values).
 */

const KEYS = parseSigningKeySet(SECRET_STRING);
const NOW = new Date('2026-11-23T06:00:00Z');
const ITEM = processedItem({ width: 1280, height: 800 }, { thumbnails: {} });
const CONFIG = {
  limits: renditionLimitsOf(DEFAULT_SETTINGS),
  presets: {},
  maxPixels: 100_000_000,
  maxLifetimeSeconds: 7200,
  keepGps: false,
  keepDigitalSourceType: false,
};

/** Dependencies that fail the test if the refusal came after the record or the bucket was read. */
const untouched: RenderDeps = {
  store: { get: () => Promise.reject(new Error('the record was read')) },
  objects: {
    read: () => Promise.reject(new Error('the bucket was read')),
    open: () => Promise.reject(new Error('the bucket was read')),
    write: () => Promise.reject(new Error('the bucket was written')),
  },
  keys: async () => KEYS,
  watermark: () => Promise.reject(new Error('a watermark was read')),
  now: () => NOW,
};

function signed(query: string) {
  const url = signRendition({
    imageId: ITEM.imageId,
    query,
    expires: renditionExpiry(NOW, 3600),
    key: signingKey(KEYS, NOW),
  });
  const [path = '', rawQuery = ''] = url.split('?');
  return { path, rawQuery };
}

describe('renderRendition and the spelling of a signed query', () => {
  it.each([
    ['a number with a leading zero', 'w=0200&format=webp', 'w=200&format=webp'],
    ['a number with a trailing point', 'w=200.0&format=webp', 'w=200&format=webp'],
    ['a default written out', 'w=200&fit=cover', 'w=200'],
  ])('refuses %s with 400 naming the canonical form, before the record is read', async (_, query, canonical) => {
    const refusal = await renderRendition(signed(query), CONFIG, untouched).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestError);
    expect((refusal as Error).message).toBe(`query: not the canonical spelling of this rendition (${canonical})`);
  });

  it('goes on to the record for the canonical spelling of the same rendition', async () => {
    const refusal = await renderRendition(signed('w=200&format=webp'), CONFIG, untouched).catch(
      (error: unknown) => error,
    );
    expect((refusal as Error).message).toBe('the record was read');
  });
});
