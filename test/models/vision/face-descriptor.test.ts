import sharp from 'sharp';
import { decodeRaster, type Raster } from '../../../lambdas/core/analysis/raster';
import {
  FACE_DESCRIPTOR_LENGTH,
  FACE_MATCH_DISTANCE,
  MAX_FACES_PER_IMAGE,
  MIN_EYE_DISTANCE_PX,
} from '../../../lambdas/core/faces';
import { eyeDistancePx } from '../../../lambdas/vision/face-chip';
import { describeFaces, faceDistance } from '../../../lambdas/vision/face-descriptor';
import { detectFaceKeypoints, type FaceWithKeypoints } from '../../../lambdas/vision/faces';
import { fixture } from '../../fixtures';

/** The one face of a photo, found and described as the vision function does (decoded to at most 1024 px). */
async function describeOnly(bytes: Buffer): Promise<number[]> {
  const raster = await decodeRaster(bytes, 1024);
  const faces = await detectFaceKeypoints(raster);
  expect(faces).toHaveLength(1);
  const { faces: described } = await describeFaces(raster, faces);
  const descriptor = described[0]?.descriptor;
  if (!descriptor) throw new Error('the face was not described');
  return descriptor;
}

const astronaut = fixture('vision/person-astronaut.jpg');
const hopper = fixture('vision/person-hopper.jpg');

describe('describeFaces (dlib face recognition, offline)', () => {
  let original: number[];
  beforeAll(async () => {
    original = await describeOnly(astronaut);
  });

  it('describes a face with 128 finite numbers, the same ones each time', async () => {
    expect(original).toHaveLength(FACE_DESCRIPTOR_LENGTH);
    expect(original.every(Number.isFinite)).toBe(true);
    expect(await describeOnly(astronaut)).toEqual(original);
  });

  it.each<[string, (image: sharp.Sharp) => sharp.Sharp]>([
    ['cropped to its upper left', (image) => image.extract({ left: 0, top: 0, width: 400, height: 400 })],
    ['scaled to 60 %', (image) => image.resize(307)],
    ['scaled up 1.8 times', (image) => image.resize(922)],
    ['rotated 10 degrees', (image) => image.rotate(10, { background: '#000' })],
    ['rotated -15 degrees', (image) => image.rotate(-15, { background: '#000' })],
    ['re-encoded as a JPEG at quality 20', (image) => image.jpeg({ quality: 20 })],
    ['darkened to half', (image) => image.linear(0.5, 0)],
    ['brightened', (image) => image.linear(1.3, 15)],
  ])('keeps the same face within FACE_MATCH_DISTANCE when %s', async (_name, change) => {
    const copy = await change(sharp(astronaut)).jpeg({ quality: 95 }).toBuffer();
    const distance = faceDistance(original, await describeOnly(copy));
    expect(distance).toBeGreaterThan(0);
    expect(distance).toBeLessThan(FACE_MATCH_DISTANCE);
  });

  it("puts two people's faces farther apart than FACE_MATCH_DISTANCE", async () => {
    expect(faceDistance(original, await describeOnly(hopper))).toBeGreaterThan(FACE_MATCH_DISTANCE);
  });
});

describe('describeFaces: what it leaves out', () => {
  let raster: Raster;
  let face: FaceWithKeypoints;
  beforeAll(async () => {
    raster = await decodeRaster(astronaut, 1024);
    [face] = (await detectFaceKeypoints(raster)) as [FaceWithKeypoints];
  });

  /** The same detection with its eyes pulled towards their midpoint: a face too small to describe. */
  const shrunk = (f: FaceWithKeypoints): FaceWithKeypoints => {
    const mid = { x: (f.keypoints.rightEye.x + f.keypoints.leftEye.x) / 2, y: f.keypoints.rightEye.y };
    const eye = (x: number) => ({ x: mid.x + (x - mid.x) * 0.3, y: mid.y });
    return {
      ...f,
      keypoints: { ...f.keypoints, rightEye: eye(f.keypoints.rightEye.x), leftEye: eye(f.keypoints.leftEye.x) },
    };
  };

  it('counts a face whose eyes are closer than MIN_EYE_DISTANCE_PX as tooSmall, and describes the rest', async () => {
    const small = shrunk(face);
    expect(eyeDistancePx(raster, small.keypoints)).toBeLessThan(MIN_EYE_DISTANCE_PX);
    const result = await describeFaces(raster, [small, face]);
    expect(result.skipped).toEqual({ tooSmall: 1, overCap: 0 });
    expect(result.faces.map((f) => f.face)).toEqual([1]);
  });

  it('finds a real face too small: the photo shrunk until its eyes are 15 px apart', async () => {
    const tiny = await decodeRaster(await sharp(astronaut).resize(170).png().toBuffer(), 1024);
    const faces = await detectFaceKeypoints(tiny, { minConfidence: 0.5 });
    expect(faces.length).toBeGreaterThan(0);
    const result = await describeFaces(tiny, faces);
    expect(result).toEqual({ faces: [], skipped: { tooSmall: faces.length, overCap: 0 } });
  });

  it('describes at most MAX_FACES_PER_IMAGE faces and counts the others as overCap', async () => {
    const crowd = Array.from({ length: MAX_FACES_PER_IMAGE + 3 }, () => face);
    const result = await describeFaces(raster, [shrunk(face), ...crowd]);
    expect(result.faces).toHaveLength(MAX_FACES_PER_IMAGE);
    expect(result.skipped).toEqual({ tooSmall: 1, overCap: 3 });
    expect(result.faces[0]?.face).toBe(1);
    expect(result.faces.at(-1)?.face).toBe(MAX_FACES_PER_IMAGE);
    // One face, described in different batches, is described the same.
    expect(faceDistance(result.faces[0]?.descriptor ?? [], result.faces.at(-1)?.descriptor ?? [])).toBeLessThan(1e-5);
  }, 60_000);

  it('leaves no tensor behind: a crowd of calls holds no more memory than one', async () => {
    const { loadTf } = await import('../../../lambdas/vision/tfjs');
    const tf = await loadTf();
    await describeFaces(raster, [face]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await describeFaces(raster, [face, face]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers nothing described and nothing skipped for no faces', async () => {
    expect(await describeFaces(raster, [])).toEqual({ faces: [], skipped: { tooSmall: 0, overCap: 0 } });
  });
});

describe('faceDistance', () => {
  it('is the Euclidean distance', () => {
    expect(faceDistance([0, 0, 0], [3, 4, 0])).toBe(5);
    expect(faceDistance([1, 2], [1, 2])).toBe(0);
  });

  it('refuses descriptors of different lengths', () => {
    expect(() => faceDistance([1, 2], [1])).toThrow('differ in length: 2 and 1');
  });
});
