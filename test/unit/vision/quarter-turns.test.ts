import type { Raster } from '../../../lambdas/core/analysis/raster';
import type { Box } from '../../../lambdas/core/vision-schema';
import { boxBeforeTurn, TURNS, turnRaster } from '../../../lambdas/vision/quarter-turns';

/** A white raster with one red rectangle, off-centre so that each turn puts it somewhere else. */
function rasterWithRectangle(width: number, height: number, box: Box): Raster {
  const data = Buffer.alloc(width * height * 3, 255);
  for (let y = Math.round(box.top * height); y < Math.round((box.top + box.height) * height); y++)
    for (let x = Math.round(box.left * width); x < Math.round((box.left + box.width) * width); x++)
      data.set([255, 0, 0], (y * width + x) * 3);
  return { data, width, height, channels: 3 };
}

/** Where the red pixels are, in fractions of the raster. */
function redBox(raster: Raster): Box {
  let [x0, y0, x1, y1] = [raster.width, raster.height, 0, 0];
  for (let y = 0; y < raster.height; y++)
    for (let x = 0; x < raster.width; x++) {
      const at = (y * raster.width + x) * 3;
      if (raster.data[at + 1] !== 0) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
    }
  return {
    left: x0 / raster.width,
    top: y0 / raster.height,
    width: (x1 - x0) / raster.width,
    height: (y1 - y0) / raster.height,
  };
}

describe('quarter turns', () => {
  const stored: Box = { left: 0.1, top: 0.2, width: 0.3, height: 0.15 };
  const raster = rasterWithRectangle(200, 100, stored);

  it.each(TURNS)('maps a box found on the picture turned %i degrees back onto the stored picture', async (turn) => {
    const turned = await turnRaster(raster, turn);
    const found = redBox(turned);
    expect(found).not.toEqual(redBox(raster));
    const back = boxBeforeTurn(found, turn);
    for (const side of ['left', 'top', 'width', 'height'] as const) expect(back[side]).toBeCloseTo(stored[side], 2);
  });

  it('turns the raster clockwise, swapping its sides on a quarter turn', async () => {
    const turned = await turnRaster(raster, 90);
    expect([turned.width, turned.height]).toEqual([100, 200]);
    // Clockwise: the stored picture's left edge becomes the top, so the rectangle near the left ends near the top.
    expect(redBox(turned).top).toBeCloseTo(stored.left, 2);
  });
});
