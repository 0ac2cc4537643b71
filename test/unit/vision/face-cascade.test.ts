import type { Raster } from '../../../lambdas/core/analysis/raster';
import { type CascadeDetectors, cascadeFaces, UNCERTAIN } from '../../../lambdas/vision/face-cascade';
import type { DetectedFace, FaceWithKeypoints } from '../../../lambdas/vision/faces';

const RASTER: Raster = { data: Buffer.alloc(16 * 16 * 3), width: 16, height: 16, channels: 3 };
const point = { x: 0.5, y: 0.5 };
const keypoints = {
  rightEye: point,
  leftEye: point,
  nose: point,
  mouth: point,
  rightEar: point,
  leftEar: point,
};
const face = (confidence: number, left: number): FaceWithKeypoints => ({
  confidence,
  box: { left, top: 0.1, width: 0.2, height: 0.2 },
  keypoints,
});

/** BlazeFace answering `first`, a counted second detector answering `second`. */
function fakes(first: FaceWithKeypoints[], second: DetectedFace[] = []) {
  const calls = { first: 0, second: 0 };
  const detectors: CascadeDetectors = {
    first: async () => {
      calls.first++;
      return first;
    },
    second: async () => {
      calls.second++;
      return second;
    },
  };
  return { calls, detectors };
}

describe('cascadeFaces', () => {
  it('does not run the second detector when BlazeFace has no uncertain face', async () => {
    const sure = face(UNCERTAIN.upper + 0.02, 0.1);
    const unlikely = face(UNCERTAIN.lower - 0.1, 0.6);
    const { calls, detectors } = fakes([sure, unlikely]);
    const run = await cascadeFaces(RASTER, { minConfidence: 0.3 }, detectors);
    expect(calls).toEqual({ first: 1, second: 0 });
    expect(run).toEqual({ faces: [sure, unlikely], checked: false });
  });

  it('runs the second detector once per picture, however many uncertain faces it has', async () => {
    const { calls, detectors } = fakes([face(0.8, 0.1), face(0.78, 0.6)]);
    await cascadeFaces(RASTER, { minConfidence: 0.3 }, detectors);
    expect(calls).toEqual({ first: 1, second: 1 });
  });

  it('scores a confirmed uncertain face by the geometric mean of both detectors, and leaves the sure ones alone', async () => {
    const sure = face(0.95, 0.6);
    const { detectors } = fakes(
      [sure, face(0.8, 0.1)],
      [{ confidence: 0.98, box: { left: 0.11, top: 0.1, width: 0.2, height: 0.21 } }],
    );
    const { faces, checked } = await cascadeFaces(RASTER, { minConfidence: 0.3 }, detectors);
    expect(checked).toBe(true);
    expect(faces.map((f) => f.confidence)).toEqual([0.95, Math.round(Math.sqrt(0.8 * 0.98) * 10000) / 10000]);
    expect(faces[0]).toBe(sure);
    // The keypoints travel with the face: the descriptor aligns it by them.
    expect(faces[1]?.keypoints).toBe(keypoints);
  });

  it('drops an uncertain face the second detector sees nothing at, and one it sees elsewhere', async () => {
    const elsewhere = { confidence: 0.99, box: { left: 0.7, top: 0.7, width: 0.2, height: 0.2 } };
    const { detectors } = fakes([face(0.86, 0.1)], [elsewhere]);
    const { faces } = await cascadeFaces(RASTER, { minConfidence: 0.3 }, detectors);
    expect(faces).toEqual([]);
  });

  it('keeps a weakly confirmed face as a candidate, under BlazeFace’s own score', async () => {
    const { detectors } = fakes(
      [face(0.8, 0.1)],
      [{ confidence: 0.4, box: { left: 0.1, top: 0.1, width: 0.2, height: 0.2 } }],
    );
    const { faces } = await cascadeFaces(RASTER, { minConfidence: 0.3 }, detectors);
    expect(faces).toHaveLength(1);
    expect(faces[0]?.confidence).toBeCloseTo(Math.sqrt(0.8 * 0.4), 4);
  });

  it('asks BlazeFace down to the band even when the caller keeps less, so an uncertain face is always checked', async () => {
    let asked = 1;
    const { detectors } = fakes([]);
    const first = detectors.first;
    detectors.first = async (raster, options) => {
      asked = options.minConfidence ?? 1;
      return first(raster, options);
    };
    await cascadeFaces(RASTER, { minConfidence: 0.9 }, detectors);
    expect(asked).toBe(UNCERTAIN.lower);
  });
});
