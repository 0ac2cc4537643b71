import sharp from 'sharp';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import type { Raster } from '../../../lambdas/core/analysis/raster';
import type { ProcessedRecord } from '../../../lambdas/core/record';
import { CALIBRATION } from '../../../lambdas/vision/calibration';
import { FACEBOXES_MODEL } from '../../../lambdas/vision/face-boxes';
import { cascadeFaces } from '../../../lambdas/vision/face-cascade';
import { detectFaces } from '../../../lambdas/vision/faces';
import { analyzeOffline } from '../../../lambdas/vision/offline';
import { fixture } from '../../fixtures';
import { rasterOf } from '../../support/raster';

/** The faces step alone, as the vision function runs it, with the committed calibration. */
async function facesIn(bytes: Buffer) {
  const { record, raster } = await analyzeImage(bytes, { keepRaster: true });
  return analyzeOffline(raster as Raster, record as ProcessedRecord, {
    objects: false,
    text: false,
    moderation: false,
  });
}

/**
 * Grace Hopper's portrait cut to a 300x300 square with her face about a third of its width (0.38): BlazeFace alone
 * scores it 0.84, under the threshold it had before the cascade (0.8646), as the crop.
 */
async function tightCrop(): Promise<Buffer> {
  const { width = 0 } = await sharp(fixture('vision/person-hopper.jpg')).metadata();
  return sharp(fixture('vision/person-hopper.jpg'))
    .extract({ left: 0, top: 0, width, height: width })
    .resize(300, 300)
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe('the face cascade (BlazeFace, then FaceBoxes on its uncertain faces)', () => {
  it('gets the face of a frontal portrait with the default calibration', async () => {
    const vision = await facesIn(fixture('vision/person-hopper.jpg'));
    expect(vision.faces).toHaveLength(1);
    expect(vision.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['Person', 'Face']));
  });

  it('gets the face of a tight 300x300 crop of the portrait, which BlazeFace alone scored under its threshold', async () => {
    const crop = await tightCrop();
    const { raster } = await analyzeImage(crop, { keepRaster: true });
    const [alone] = await detectFaces(raster as Raster, { minConfidence: 0.3 });
    expect(alone?.confidence).toBeLessThan(0.8646);
    const vision = await facesIn(crop);
    expect(vision.faces).toHaveLength(1);
    expect(vision.faces[0]?.confidence).toBeGreaterThanOrEqual(CALIBRATION.faces);
  });

  it.each([
    ['the cat', 'vision/cat-chelsea.jpg'],
    // BlazeFace scores the gibbon 0.86: the animal face that set the threshold before the cascade.
    ['the gibbon', 'vision/animal-gibbon.jpg'],
    // FaceBoxes alone scores a dog 0.88: the cascade needs both detectors to be sure.
    ['the dogs', 'vision/animal-dogs.jpg'],
  ])('does not take %s for a person', async (_, file) => {
    const vision = await facesIn(fixture(file));
    expect(vision.faces).toEqual([]);
    expect(vision.labels.map((l) => l.name)).not.toContain('Face');
  });

  it('checks the gibbon with FaceBoxes (BlazeFace is unsure of it), not a photo where BlazeFace sees no face it might be', async () => {
    expect((await cascadeFaces(await rasterOf('vision/animal-gibbon.jpg'), { minConfidence: 0.3 })).checked).toBe(true);
    // The kite photo: BlazeFace's strongest "face" there is 0.46, under the band.
    const kite = await cascadeFaces(await rasterOf('photos/kite.jpg'), { minConfidence: 0.3 });
    expect(kite.checked).toBe(false);
    expect(kite.faces.length).toBeGreaterThan(0);
  });

  it('names both face models in the record', async () => {
    const vision = await facesIn(fixture('vision/person-hopper.jpg'));
    expect(Object.keys(vision.inference.models)).toEqual(
      expect.arrayContaining(['blazeface-back-256.onnx', FACEBOXES_MODEL]),
    );
  });
});
