import sharp from 'sharp';
import { decodeRaster } from '../../../../lambdas/core/analysis/raster';
import { renderImage, shownRegion } from '../../../../lambdas/core/render/render';
import type { PixelRegion, RenditionSpec, UnitBox } from '../../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';
import { smartRegion } from '../../../../lambdas/core/render/smart-crop';
import { detectFaces } from '../../../../lambdas/vision/faces';
import { fixture } from '../../../fixtures';
import { psnr } from '../../../support/stats';

const image = { width: 1600, height: 800 };
/** A box in pixels of `image`, as the unit box the vision schema stores. */
const box = (x: number, y: number, w: number, h: number): UnitBox => ({
  left: x / image.width,
  top: y / image.height,
  width: w / image.width,
  height: h / image.height,
});

/** Whether the pixel box of `unit` (in an image of `size`) lies inside `region`. */
const inside = (unit: UnitBox, region: PixelRegion, size = image) =>
  unit.left * size.width >= region.x - 1e-6 &&
  unit.top * size.height >= region.y - 1e-6 &&
  (unit.left + unit.width) * size.width <= region.x + region.w + 1e-6 &&
  (unit.top + unit.height) * size.height <= region.y + region.h + 1e-6;

describe('smartRegion', () => {
  it('is the largest crop of the aspect, moved to frame the face with a margin', () => {
    const face = box(1300, 300, 100, 120);
    const region = smartRegion([face], [], 1, image);
    expect(region).toMatchObject({ w: 800, h: 800, y: 0 });
    expect(inside(face, region as PixelRegion)).toBe(true);
    // Centred on the face, then held inside the image.
    expect(region?.x).toBe(800);
  });

  it('frames every face when they fit together', () => {
    const faces = [box(100, 100, 80, 80), box(700, 500, 90, 90), box(400, 300, 60, 60)];
    const region = smartRegion(faces, [], 1, image) as PixelRegion;
    for (const face of faces) expect(inside(face, region)).toBe(true);
  });

  it('keeps the largest faces when all cannot fit, and a smaller one that still fits', () => {
    const large = box(1350, 200, 200, 200);
    const far = box(50, 300, 150, 150);
    const small = box(900, 400, 40, 40);
    const region = smartRegion([far, small, large], [], 1, image) as PixelRegion;
    expect(inside(large, region)).toBe(true);
    expect(inside(small, region)).toBe(true);
    expect(inside(far, region)).toBe(false);
  });

  it('centres on a face larger than the crop', () => {
    const region = smartRegion([box(600, 0, 400, 800)], [], 0.25, image) as PixelRegion;
    expect(region).toEqual({ x: 700, y: 0, w: 200, h: 800 });
  });

  it('frames the most confident objects when there is no face', () => {
    const dog = { ...box(1400, 500, 150, 200), confidence: 0.9 };
    const chair = { ...box(50, 50, 100, 100), confidence: 0.4 };
    const region = smartRegion([], [chair, dog], 1, image) as PixelRegion;
    expect(inside(dog, region)).toBe(true);
    expect(inside(chair, region)).toBe(false);
  });

  it('prefers faces to objects', () => {
    const face = box(100, 100, 80, 80);
    const region = smartRegion([face], [{ ...box(1400, 500, 150, 200), confidence: 0.99 }], 1, image) as PixelRegion;
    expect(inside(face, region)).toBe(true);
  });

  it('is undefined with nothing to frame, or only boxes outside the crop', () => {
    expect(smartRegion([], [], 1, image)).toBeUndefined();
    expect(smartRegion([box(1500, 0, 50, 50)], [], 1, image, { x: 0, y: 0, w: 800, h: 800 })).toBeUndefined();
  });

  it('stays inside the crop it is given', () => {
    const within = { x: 200, y: 100, w: 1000, h: 600 };
    const face = box(1100, 150, 80, 80);
    const region = smartRegion([face], [], 1, image, within) as PixelRegion;
    expect(region).toEqual({ x: 600, y: 100, w: 600, h: 600 });
    expect(inside(face, region)).toBe(true);
  });

  it('works for tall crops as well as wide ones', () => {
    const face = box(100, 650, 60, 60);
    const region = smartRegion([face], [], 2, image) as PixelRegion;
    expect(region).toMatchObject({ w: 1600, h: 800 });
    const tall = smartRegion([face], [], 0.5, image) as PixelRegion;
    expect(tall).toEqual({ x: 0, y: 0, w: 400, h: 800 });
  });
});

describe('a 200 px gravity=smart square on photos with faces', () => {
  const spec: RenditionSpec = {
    ...RENDITION_DEFAULTS,
    w: 200,
    h: 200,
    gravity: 'smart',
  };

  /**
   * The astronaut fixture placed twice on a wide canvas of the boats photo: one face near the left edge and
   * one in the left half, where a centred square would cut the first off. A single astronaut near the right
   * edge is the second case.
   */
  async function scene(placements: { left: number; size: number }[]) {
    const astronaut = fixture('vision/person-astronaut.jpg');
    const layers = await Promise.all(
      placements.map(async ({ left, size }) => ({
        input: await sharp(astronaut).resize(size, size).toBuffer(),
        left,
        top: 800 - size,
      })),
    );
    return sharp(fixture('photos/boats.jpg'))
      .resize(1800, 800, { fit: 'fill' })
      .composite(layers)
      .jpeg({ quality: 92 })
      .toBuffer();
  }

  it.each([
    [
      'two astronauts on the left',
      [
        { left: 0, size: 560 },
        { left: 480, size: 480 },
      ],
      2,
    ],
    ['one astronaut at the right edge', [{ left: 1240, size: 560 }], 1],
  ])('with %s, the square contains every detected face box', async (_, placements, expected) => {
    const photo = await scene(placements);
    const size = { width: 1800, height: 800 };
    const faces = (await detectFaces(await decodeRaster(photo))).map((face) => face.box);
    expect(faces).toHaveLength(expected);

    const region = shownRegion(spec, { image: size, faces }) as PixelRegion;
    expect(region).toMatchObject({ w: 800, h: 800 });
    for (const face of faces) expect(inside(face, region, size)).toBe(true);
    // A centred square would have cut at least one of them.
    const centred = { x: 500, y: 0, w: 800, h: 800 };
    expect(faces.every((face) => inside(face, centred, size))).toBe(false);

    // And the rendition shows that region: the same pixels as cutting it explicitly.
    const context = { format: 'png' as const, image: size, maxInputPixels: 100_000_000, faces };
    const smart = await renderImage(photo, spec, context);
    const explicit = await renderImage(photo, { ...spec, gravity: 'center', crop: region }, context);
    expect([smart.width, smart.height]).toEqual([200, 200]);
    const raw = async (png: Buffer) => sharp(png).removeAlpha().raw().toBuffer();
    expect(psnr(await raw(smart.data), await raw(explicit.data))).toBeGreaterThan(35);
    // Each face, mapped into the output's pixels, lies within its 200x200 frame.
    const scale = 200 / region.w;
    for (const face of faces) {
      const left = (face.left * size.width - region.x) * scale;
      const right = ((face.left + face.width) * size.width - region.x) * scale;
      expect(left).toBeGreaterThanOrEqual(0);
      expect(right).toBeLessThanOrEqual(200);
    }
  });
});
