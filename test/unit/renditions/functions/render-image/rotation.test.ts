import sharp from 'sharp';
import {
  type RenditionResult,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { processedAnalysis } from '../../../../support/items';
import { CONFIG, depsOver, ITEM, url } from './memory-deps';

/** The render function over one record, the original a 1280 x 800 JPEG (no thumbnails: every rendition is its). */
function over(item: ImageItem) {
  return depsOver(() => item);
}

/** The record once its owner turned it 90 and the processor made it again: the analysis is the turned picture's. */
const TURNED: ImageItem = {
  ...ITEM,
  rotation: 90,
  rotationApplied: 90,
  analysis: processedAnalysis({ width: 800, height: 1280 }),
};

describe('renditions of an image its owner rotated', () => {
  it('are made from the original turned as the record says: 200 px wide is 200 x 320', async () => {
    const { deps } = over(TURNED);
    const result = (await renderRendition(url({ w: 200, format: 'png' }), CONFIG, deps)) as RenditionResult;
    expect(await sharp(result.body as Buffer).metadata()).toMatchObject({ width: 200, height: 320 });
  });

  it('are stored and tagged under another key than before the turn, so a URL signed before it shows it turned', async () => {
    const before = (await renderRendition(url({ w: 200, format: 'png' }), CONFIG, over(ITEM).deps)) as RenditionResult;
    const after = (await renderRendition(url({ w: 200, format: 'png' }), CONFIG, over(TURNED).deps)) as RenditionResult;
    expect(await sharp(before.body as Buffer).metadata()).toMatchObject({ width: 200, height: 125 });
    expect(after.etag).not.toBe(before.etag);
  });

  it('follow the turn the pixels were made with while a new one is being made (rotation asked, not applied)', async () => {
    const asked = { ...ITEM, rotation: 90 as const };
    const plain = (await renderRendition(url({ w: 200, format: 'png' }), CONFIG, over(ITEM).deps)) as RenditionResult;
    const pending = (await renderRendition(
      url({ w: 200, format: 'png' }),
      CONFIG,
      over(asked).deps,
    )) as RenditionResult;
    expect(pending.etag).toBe(plain.etag);
  });
});
