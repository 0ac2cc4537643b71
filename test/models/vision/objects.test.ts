import { COCO_CLASSES, detectObjects } from '../../../lambdas/vision/objects';
import { rasterOf } from '../../support/raster';

describe('detectObjects (CenterNet, COCO)', () => {
  it.each([
    ['vision/cat-chelsea.jpg', 'cat'],
    ['vision/cup-coffee.jpg', 'cup'],
    ['vision/person-astronaut.jpg', 'person'],
    ['vision/motorcycle.jpg', 'motorcycle'],
    ['photos/kite.jpg', 'kite'],
    ['photos/boats.jpg', 'boat'],
  ])('finds the %s subject as a %s, most confident first', async (file, name) => {
    const objects = await detectObjects(await rasterOf(file));
    expect(objects[0]?.name).toBe(name);
    expect(objects[0]?.confidence).toBeGreaterThanOrEqual(0.4);
  });

  it.each(['photos/forest.jpg', 'photos/pier.jpg', 'photos/leaf.jpg'])('finds nothing in %s', async (file) => {
    expect(await detectObjects(await rasterOf(file))).toEqual([]);
  });

  it('boxes the cup in the middle of the coffee photo', async () => {
    const [cup] = await detectObjects(await rasterOf('vision/cup-coffee.jpg'));
    const centreX = (cup?.box.left ?? 0) + (cup?.box.width ?? 0) / 2;
    expect(centreX).toBeGreaterThan(0.35);
    expect(centreX).toBeLessThan(0.65);
    expect(cup?.box.width).toBeLessThan(0.6);
  });

  it('keeps separate boats but not duplicates of one', async () => {
    const boats = (await detectObjects(await rasterOf('photos/boats.jpg'))).filter((o) => o.name === 'boat');
    expect(boats.length).toBeGreaterThan(1);
    const { iou } = await import('../../../lambdas/vision/faces');
    for (const [i, a] of boats.entries())
      for (const b of boats.slice(i + 1)) expect(iou(a.box, b.box)).toBeLessThanOrEqual(0.4);
  });

  it('knows the 80 COCO classes', () => {
    expect(COCO_CLASSES).toHaveLength(80);
    expect(COCO_CLASSES[15]).toBe('cat');
  });
});
