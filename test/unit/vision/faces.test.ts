import type { Raster } from '../../../lambdas/core/analysis/raster';
import { detectFaceKeypoints, detectFaces, faceViews, iou, suppressOverlaps } from '../../../lambdas/vision/faces';
import { fixture } from '../../fixtures';
import { rasterOf } from '../../support/raster';

describe('detectFaces (BlazeFace)', () => {
  it('finds the astronaut’s face where it is', async () => {
    const faces = await detectFaces(await rasterOf('vision/person-astronaut.jpg'));
    expect(faces).toHaveLength(1);
    const [face] = faces;
    expect(face?.confidence).toBeGreaterThan(0.8);
    // Her face sits a little left of centre in the upper third.
    const centreX = (face?.box.left ?? 0) + (face?.box.width ?? 0) / 2;
    const centreY = (face?.box.top ?? 0) + (face?.box.height ?? 0) / 2;
    expect(centreX).toBeGreaterThan(0.35);
    expect(centreX).toBeLessThan(0.55);
    expect(centreY).toBeGreaterThan(0.15);
    expect(centreY).toBeLessThan(0.35);
  });

  it.each([
    'vision/cat-chelsea.jpg',
    'vision/cup-coffee.jpg',
    'vision/motorcycle.jpg',
    'photos/boats.jpg',
    'photos/forest.jpg',
  ])('finds no face in %s', async (file) => {
    expect(await detectFaces(await rasterOf(file))).toEqual([]);
  });

  it('reports the cat at a lower threshold, so the default is what keeps it out', async () => {
    const faces = await detectFaces(await rasterOf('vision/cat-chelsea.jpg'), { minConfidence: 0.7 });
    expect(faces.length).toBeGreaterThan(0);
  });

  it('maps boxes through the letterbox of a portrait raster', async () => {
    const landscape = await rasterOf('vision/person-astronaut.jpg');
    const sharp = (await import('sharp')).default;
    // Pad the square astronaut into a portrait frame: the face must move down and shrink vertically.
    const padded = await sharp(landscape.data, {
      raw: { width: landscape.width, height: landscape.height, channels: 3 },
    })
      .extend({ top: landscape.height / 2, bottom: landscape.height / 2, background: '#000' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const portrait: Raster = { data: padded.data, width: padded.info.width, height: padded.info.height, channels: 3 };
    const [face] = await detectFaces(portrait);
    const [original] = await detectFaces(landscape);
    expect(face?.box.top).toBeCloseTo(0.25 + (original?.box.top ?? 0) / 2, 1);
    expect(face?.box.height).toBeCloseTo((original?.box.height ?? 0) / 2, 1);
  });
});

describe('detectFaceKeypoints', () => {
  it('finds the faces detectFaces finds, with eyes, nose and mouth where a face has them', async () => {
    const raster = await rasterOf('vision/person-astronaut.jpg');
    const [face, ...others] = await detectFaceKeypoints(raster);
    expect(others).toEqual([]);
    expect(await detectFaces(raster)).toEqual([{ confidence: face?.confidence, box: face?.box }]);
    const { rightEye, leftEye, nose, mouth } = face?.keypoints ?? ({} as never);
    const box = face?.box ?? { left: 0, top: 0, width: 0, height: 0 };
    for (const point of [rightEye, leftEye, nose, mouth]) {
      expect(point.x).toBeGreaterThan(box.left);
      expect(point.x).toBeLessThan(box.left + box.width);
      expect(point.y).toBeGreaterThan(box.top);
      expect(point.y).toBeLessThan(box.top + box.height);
    }
    // Her right eye is on the left of the picture; eyes above the nose, the nose above the mouth.
    expect(rightEye.x).toBeLessThan(nose.x);
    expect(leftEye.x).toBeGreaterThan(nose.x);
    expect(Math.max(rightEye.y, leftEye.y)).toBeLessThan(nose.y);
    expect(nose.y).toBeLessThan(mouth.y);
  });
});

describe('suppressOverlaps', () => {
  const box = (left: number, top: number) => ({ left, top, width: 0.2, height: 0.2 });

  it('keeps the stronger of two overlapping detections and separate ones', () => {
    const kept = suppressOverlaps(
      [
        { confidence: 0.8, box: box(0.1, 0.1) },
        { confidence: 0.9, box: box(0.12, 0.1) },
        { confidence: 0.85, box: box(0.6, 0.6) },
      ],
      0.3,
    );
    expect(kept.map((k) => k.confidence)).toEqual([0.9, 0.85]);
  });

  it('computes intersection over union', () => {
    expect(iou(box(0, 0), box(0, 0))).toBeCloseTo(1);
    expect(iou(box(0, 0), box(0.5, 0.5))).toBe(0);
    expect(iou(box(0, 0), box(0.1, 0))).toBeCloseTo(1 / 3);
  });
});

describe('faceViews', () => {
  it('looks at the whole image, then 2x2 overlapping tiles of 0.6 of its longest side', () => {
    const [whole, ...tiles] = faceViews(1000, 600);
    expect(whole).toEqual({ left: 0, top: 0, width: 1000, height: 600 });
    expect(tiles).toEqual([
      { left: 0, top: 0, width: 600, height: 600 },
      { left: 400, top: 0, width: 600, height: 600 },
    ]);
    expect(faceViews(300, 300).slice(1)).toEqual([
      { left: 0, top: 0, width: 180, height: 180 },
      { left: 120, top: 0, width: 180, height: 180 },
      { left: 0, top: 120, width: 180, height: 180 },
      { left: 120, top: 120, width: 180, height: 180 },
    ]);
  });

  it('overlaps neighbouring tiles by a third of a tile or more, so a face a fifth of the image lies whole in one', () => {
    const tiles = faceViews(2000, 300).slice(1);
    const lefts = tiles.map((t) => t.left);
    expect(lefts[0]).toBe(0);
    expect((tiles.at(-1)?.left ?? 0) + (tiles.at(-1)?.width ?? 0)).toBe(2000);
    for (let i = 1; i < lefts.length; i++) {
      expect((lefts[i] ?? 0) - (lefts[i - 1] ?? 0)).toBeLessThanOrEqual((300 * 2) / 3);
    }
  });

  it('has only the whole view for an image too small to tile', () => {
    expect(faceViews(150, 150)).toEqual([{ left: 0, top: 0, width: 150, height: 150 }]);
  });
});

describe('detectFaces at two scales', () => {
  const sharpOf = async () => (await import('sharp')).default;
  const rasterFrom = async (bytes: Buffer): Promise<Raster> => {
    const sharp = await sharpOf();
    const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: 3 };
  };

  it('finds the astronaut in 300x300 crops that one 256 px view of the whole crop missed', async () => {
    const sharp = await sharpOf();
    // Crops where her face (about a third of the width) scored 0.78 and 0.79 in a single view.
    for (const [left, top] of [
      [100, 20],
      [140, 20],
    ] as const) {
      const crop = await sharp(fixture('vision/person-astronaut.jpg'))
        .extract({ left, top, width: 300, height: 300 })
        .jpeg({ quality: 90 })
        .toBuffer();
      const faces = await detectFaces(await rasterFrom(crop));
      expect(faces).toHaveLength(1);
    }
  });

  it('finds two small faces in a wide picture, once each (one view of the whole found one of them)', async () => {
    const sharp = await sharpOf();
    const face = (file: string, width: number) => sharp(fixture(file)).resize({ width }).toBuffer();
    const canvas = await sharp({ create: { width: 1600, height: 700, channels: 3, background: '#607080' } })
      .composite([
        { input: await face('vision/person-astronaut.jpg', 220), left: 150, top: 100 },
        { input: await face('vision/person-hopper.jpg', 200), left: 1100, top: 150 },
      ])
      .png()
      .toBuffer();
    // Her face about 30 px wide at 1024 px: 0.73 in one view of the whole, 0.86 in a tile.
    const picture = await sharp(canvas).resize({ width: 1024 }).png().toBuffer();
    const faces = await detectFaces(await rasterFrom(picture));
    expect(faces).toHaveLength(2);
    const centres = faces.map((f) => f.box.left + f.box.width / 2).sort();
    expect(centres[0]).toBeGreaterThan(0.1);
    expect(centres[0]).toBeLessThan(0.2);
    expect(centres[1]).toBeGreaterThan(0.7);
    expect(centres[1]).toBeLessThan(0.8);
  });
});
