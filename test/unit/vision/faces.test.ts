import type { Raster } from '../../../lambdas/core';
import { detectFaceKeypoints, detectFaces, iou, suppressOverlaps } from '../../../lambdas/vision/faces';
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
