import { moderate } from '../../../lambdas/vision/moderation';
import { rasterOf } from '../../support/raster';

describe('moderate (nsfwjs MobileNetV2)', () => {
  it.each([
    'photos/boats.jpg',
    'photos/cups.jpg',
    'photos/pier.jpg',
    'vision/person-astronaut.jpg',
    'vision/cat-chelsea.jpg',
    'vision/text-page.png',
  ])('scores the ordinary picture %s low on every unsafe category', async (file) => {
    const { labels } = await moderate(await rasterOf(file));
    expect(labels.map((l) => l.name).sort()).toEqual(['Explicit Nudity', 'Suggestive']);
    for (const label of labels) expect(label.confidence).toBeLessThan(0.3);
  });

  it('sees the illustration as a drawing and the photo as not', async () => {
    expect((await moderate(await rasterOf('vision/illustration-dragon.jpg'))).drawing).toBeGreaterThan(0.9);
    expect((await moderate(await rasterOf('vision/cup-coffee.jpg'))).drawing).toBeLessThan(0.1);
  });

  it('orders labels strongest first with confidences in 0-1', async () => {
    const { labels } = await moderate(await rasterOf('photos/pier.jpg'));
    expect(labels[0]?.confidence).toBeGreaterThanOrEqual(labels[1]?.confidence ?? 0);
  });
});
