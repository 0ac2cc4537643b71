import { planSource } from '../../../lambdas/core/render/render';
import { RENDITION_DEFAULTS } from '../../../lambdas/core/render/rendition-spec';
import { storedCopies } from '../../../lambdas/renditions/stored-copies';
import type { ImageItem } from '../../../lambdas/store/image-item';

const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const shapes = {
  landscape: {
    width: 4000,
    height: 3000,
    thumbs: [
      [128, 96],
      [512, 384],
      [1024, 768],
    ],
    copy: [2048, 1536],
  },
  portrait: {
    width: 3000,
    height: 4000,
    thumbs: [
      [96, 128],
      [384, 512],
      [768, 1024],
    ],
    copy: [1536, 2048],
  },
} as const;

/** Which stored object a spec renders from, for a 12 MP picture with or without its page copy. */
function sourceOf(shape: keyof typeof shapes, spec: object, withCopy = true): string {
  const { width, height, thumbs, copy } = shapes[shape];
  const thumbnails = thumbs.map(([w, h]) => ({ size: Math.max(w, h), width: w, height: h }));
  const item = {
    imageId: ID,
    thumbnails: Object.fromEntries(thumbnails.map(({ size }) => [String(size), `thumbnails/${ID}/${size}.webp`])),
    ...(withCopy && { pageCopy: { key: `renditions/${ID}/copy.jpg`, width: copy[0], height: copy[1] } }),
  } as ImageItem;
  const copies = storedCopies(item, thumbnails);
  const plan = planSource({ ...RENDITION_DEFAULTS, ...spec }, { width, height, thumbnails: copies });
  return plan.source === 'original' ? 'original' : plan.copy.key;
}

describe('the stored copy a rendition is made from', () => {
  it('makes a page of either orientation from the page copy, and from the original without one', () => {
    for (const shape of ['landscape', 'portrait'] as const) {
      expect(sourceOf(shape, { w: 1200, fit: 'inside' })).toBe(`renditions/${ID}/copy.jpg`);
      expect(sourceOf(shape, { w: 1200, fit: 'inside' }, false)).toBe('original');
    }
  });

  it('keeps a WebP thumbnail with twice the pixels needed beside the copy: a landscape card, not a portrait one', () => {
    const card = { w: 400, h: 225, fit: 'cover' };
    // 1024 x 768 holds 400 x 300 2.56 times over; 768 x 1024 holds 400 x 533 1.92 times.
    expect(sourceOf('landscape', card)).toBe(`thumbnails/${ID}/1024.webp`);
    expect(sourceOf('portrait', card)).toBe(`renditions/${ID}/copy.jpg`);
    // Without a copy the thumbnail's 1.5x is enough, as before.
    expect(sourceOf('portrait', card, false)).toBe(`thumbnails/${ID}/1024.webp`);
    // A small square still comes from a small thumbnail.
    expect(sourceOf('portrait', { w: 128, h: 128, fit: 'cover' })).toBe(`thumbnails/${ID}/512.webp`);
  });

  it('goes to the original past the copy: a 2400 px rendition', () => {
    expect(sourceOf('landscape', { w: 2400, fit: 'inside' })).toBe('original');
  });
});
