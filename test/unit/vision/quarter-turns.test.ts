import type { Raster } from '../../../lambdas/core/analysis/raster';
import type { Box } from '../../../lambdas/core/vision-schema';
import {
  boxBeforeTurn,
  type Look,
  lookTurned,
  TURNS,
  type Turn,
  type TurnOptions,
  turnRaster,
} from '../../../lambdas/vision/quarter-turns';

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

describe('lookTurned', () => {
  const raster = rasterWithRectangle(40, 20, { left: 0, top: 0, width: 0.5, height: 0.5 });
  const box: Box = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };
  const size = { width: 40, height: 20 };
  const weakFirst: Look = { objects: [{ name: 'bird', confidence: 0.3, box }], lines: [], ...size };
  const options: TurnOptions = { when: 'weak', orientationKnown: false, faceShown: false, found: () => 0.41 };

  /** A look that finds on each turn what `byTurn` says, noting the turns it saw. */
  function looker(byTurn: Partial<Record<Turn, Look>>) {
    const seen: (0 | Turn)[] = [];
    const look = async (turned: Raster): Promise<Look> => {
      const turn = turnOf(turned);
      seen.push(turn);
      return turn === 0 ? weakFirst : (byTurn[turn] ?? { objects: [], lines: [], ...size });
    };
    return { look, seen };
  }
  /** Which turn of the stored raster the look was given: its red quarter starts top left, and turns clockwise. */
  function turnOf(turned: Raster): 0 | Turn {
    const { left, top } = redBox(turned);
    if (top < 0.5) return left < 0.5 ? 0 : 90;
    return left < 0.5 ? 270 : 180;
  }

  it('looks at the three turns of a weak first look and keeps the one clearly stronger, boxes on the stored picture', async () => {
    const horse: Look = { objects: [{ name: 'horse', confidence: 0.85, box }], lines: [], ...size };
    const { look, seen } = looker({
      90: { objects: [{ name: 'bird', confidence: 0.45, box }], lines: [], ...size },
      270: horse,
    });
    const outcome = await lookTurned(raster, weakFirst, look, options);
    expect(seen).toEqual([90, 180, 270]);
    expect(outcome.kept?.turn).toBe(270);
    expect(outcome.kept?.objects).toEqual([{ name: 'horse', confidence: 0.85, box: boxBeforeTurn(box, 270) }]);
  });

  it('keeps the first look when no turn is clearly stronger', async () => {
    const { look, seen } = looker({ 180: { objects: [{ name: 'dog', confidence: 0.55, box }], lines: [], ...size } });
    expect(await lookTurned(raster, weakFirst, look, options)).toEqual({ looked: true });
    expect(seen).toHaveLength(3);
  });

  it('takes sure text read on a turn as stronger evidence than junk upright', async () => {
    const line = (text: string, confidence: number) => ({ text, confidence, box });
    const first: Look = { objects: [], lines: [line('dae', 0.26)], ...size };
    const { look } = looker({ 90: { objects: [], lines: [line('Region-based segmentation', 0.98)], ...size } });
    const outcome = await lookTurned(raster, first, look, options);
    expect(outcome.kept?.turn).toBe(90);
    expect(outcome.kept?.lines[0]?.box).toEqual(boxBeforeTurn(box, 90));
  });

  it('never looks twice at a strong first look: an object found, a face shown, or sure text', async () => {
    const strong: [Look, Partial<TurnOptions>][] = [
      [{ objects: [{ name: 'dog', confidence: 0.42, box }], lines: [], ...size }, {}],
      [weakFirst, { faceShown: true }],
      [{ objects: [], lines: [{ text: 'Invoice 2048', confidence: 0.95, box }], ...size }, {}],
    ];
    for (const [first, differently] of strong) {
      const { look, seen } = looker({
        270: { objects: [{ name: 'horse', confidence: 0.95, box }], lines: [], ...size },
      });
      expect(await lookTurned(raster, first, look, { ...options, ...differently })).toEqual({ looked: false });
      expect(seen).toEqual([]);
    }
  });

  it('does not take sure text running up the picture for a strong first look: it says nothing of which way is up', async () => {
    const running: Box = { left: 0.4, top: 0.1, width: 0.05, height: 0.8 };
    const first: Look = { objects: [], lines: [{ text: 'Invoice 2048', confidence: 0.95, box: running }], ...size };
    const { look, seen } = looker({});
    expect(await lookTurned(raster, first, look, options)).toEqual({ looked: true });
    expect(seen).toEqual([90, 180, 270]);
  });

  it('never looks twice when which way is up is known, not even when told to always', async () => {
    const { look, seen } = looker({ 270: { objects: [{ name: 'horse', confidence: 0.95, box }], lines: [], ...size } });
    const known = { ...options, when: 'always' as const, orientationKnown: true };
    expect(await lookTurned(raster, weakFirst, look, known)).toEqual({ looked: false });
    expect(await lookTurned(raster, weakFirst, look, { ...options, when: 'never' })).toEqual({ looked: false });
    expect(seen).toEqual([]);
  });
});
