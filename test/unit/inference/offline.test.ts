import { analyzeImage, type ProcessedRecord, type Raster } from '../../../lambdas/core';
import { analyzeOffline } from '../../../lambdas/inference/offline';
import { VisionSchema } from '../../../lambdas/inference/schema';
import { fixture } from '../../fixtures';

async function offline(file: string, options = {}) {
  const { record, raster } = await analyzeImage(fixture(file), { keepRaster: true });
  const vision = await analyzeOffline(raster as Raster, record as ProcessedRecord, options);
  expect(VisionSchema.parse(vision)).toEqual(vision);
  return vision;
}

describe('analyzeOffline', () => {
  it('finds a person and a face in the astronaut photo', async () => {
    const vision = await offline('vision/person-astronaut.jpg');
    expect(vision.faces).toHaveLength(1);
    expect(vision.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['Person', 'Face']));
    expect(vision.inference.provider).toBe('onnx');
  });

  it('reads the scanned page into fullText and labels it a document', async () => {
    const vision = await offline('vision/text-page.png');
    expect(vision.text.fullText).toContain('Region-based segmentation');
    expect(vision.text.fullText).toContain('histogram of grey values');
    expect(vision.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['Document', 'Text']));
    expect(vision.faces).toEqual([]);
  });

  it('finds the kite and labels it, and says plainly that moderation did not run', async () => {
    const vision = await offline('photos/kite.jpg');
    expect(vision.objects.map((o) => o.name)).toEqual(['kite']);
    expect(vision.labels).toContainEqual(expect.objectContaining({ name: 'Kite', source: 'objects' }));
    expect(vision.moderation).toEqual({ checked: false, flagged: false, threshold: 0.8, labels: [] });
  });

  it('runs only what is enabled and lists only the models that ran', async () => {
    const vision = await offline('vision/text-page.png', { text: false, objects: false });
    expect(vision.text).toEqual({ fullText: '', lines: [] });
    expect(vision.objects).toEqual([]);
    expect(Object.keys(vision.inference.models)).toEqual(['blazeface-back-256.onnx']);
  });
});
