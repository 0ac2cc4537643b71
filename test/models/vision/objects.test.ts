import { iou } from '../../../lambdas/vision/faces';
import {
  COCO_CLASSES,
  type DetectedObject,
  detectInView,
  detectObjects,
  detectObjectsWithViews,
  UNCERTAIN,
} from '../../../lambdas/vision/objects';
import { rasterOf } from '../../support/raster';

/** The strongest detection of a class; the test fails when there is none. */
function strongest(objects: DetectedObject[], name: string): DetectedObject {
  const [best] = objects.filter((o) => o.name === name).sort((a, b) => b.confidence - a.confidence);
  if (!best) throw new Error(`no ${name} among ${objects.map((o) => o.name).join(', ')}`);
  return best;
}

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
    for (const [i, a] of boats.entries())
      for (const b of boats.slice(i + 1)) expect(iou(a.box, b.box)).toBeLessThanOrEqual(0.4);
  });

  it.each(['never', 'always'] as const)(
    'finds the cat in the cat photo first with second look %s',
    async (secondLook) => {
      const objects = await detectObjects(await rasterOf('vision/cat-chelsea.jpg'), { secondLook });
      expect(objects[0]?.name).toBe('cat');
      expect(objects[0]?.confidence).toBeGreaterThanOrEqual(0.4);
    },
  );

  it('boxes the cup in the mirrored view where the whole view boxes it', async () => {
    const raster = await rasterOf('vision/cup-coffee.jpg');
    const whole = strongest(await detectInView(raster, { kind: 'whole' }, 0.4), 'cup');
    const mirrored = strongest(await detectInView(raster, { kind: 'mirrored' }, 0.4), 'cup');
    expect(iou(whole.box, mirrored.box)).toBeGreaterThan(0.7);
  });

  it('boxes the cat of a region view in fractions of the whole raster', async () => {
    const raster = await rasterOf('vision/cat-chelsea.jpg');
    const whole = strongest(await detectObjects(raster), 'cat');
    const margin = 0.1;
    const region = {
      left: Math.max(0, whole.box.left - margin),
      top: Math.max(0, whole.box.top - margin),
      width: Math.min(1, whole.box.left + whole.box.width + margin) - Math.max(0, whole.box.left - margin),
      height: Math.min(1, whole.box.top + whole.box.height + margin) - Math.max(0, whole.box.top - margin),
    };
    const inRegion = strongest(await detectInView(raster, { kind: 'region', region }, 0.4), 'cat');
    expect(iou(whole.box, inRegion.box)).toBeGreaterThan(0.7);
  });

  it('looks twice only when a detection is uncertain, and says so', async () => {
    const raster = await rasterOf('vision/cat-chelsea.jpg');
    const first = await detectObjects(raster, { secondLook: 'never', minConfidence: 0.05 });
    const uncertain = first.some((o) => o.confidence >= UNCERTAIN[0] && o.confidence < UNCERTAIN[1]);
    const { views } = await detectObjectsWithViews(raster);
    expect(views).toEqual(uncertain ? ['whole', 'mirrored'] : ['whole']);
    expect((await detectObjectsWithViews(raster, { secondLook: 'never' })).views).toEqual(['whole']);
    expect((await detectObjectsWithViews(raster, { secondLook: 'always' })).views).toEqual(['whole', 'mirrored']);
  });

  it('knows the 80 COCO classes', () => {
    expect(COCO_CLASSES).toHaveLength(80);
    expect(COCO_CLASSES[15]).toBe('cat');
  });
});
