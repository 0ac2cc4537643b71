import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { pathsOf, readKeywords, valuesOf, withXmpSegment, xmpOf } from './keywords';
import { readSet } from './set';

const SET_DIR = path.join(__dirname, 'set');
const keywords = readKeywords();

describe("the KPhotoAlbum photos' keywords", () => {
  it('has the entry of every set photo made from the demo, and only those, by its file', () => {
    const fromDemo = Object.entries(readSet(SET_DIR).images).filter(([, truth]) => truth.from.includes('kphotoalbum'));
    expect(fromDemo).toHaveLength(32);
    expect(Object.keys(keywords.images).sort()).toEqual(fromDemo.map(([name]) => name).sort());
    for (const [name, truth] of fromDemo) {
      expect([name, truth.from.endsWith(`/${keywords.images[name]?.file}`)]).toEqual([name, true]);
    }
  });

  it("counts a value's groups as the photo's: Skagen is in Denmark, Spiff among the pets", () => {
    const coldWater = keywords.images['eval/kpa-cold-water.jpg'];
    const spiff = keywords.images['eval/kpa-spiff.jpg'];
    if (coldWater === undefined || spiff === undefined) throw new Error('no entry');
    expect(pathsOf(keywords, coldWater, 'Places')).toEqual([['Denmark', 'Skagen']]);
    expect(pathsOf(keywords, spiff, 'People')).toEqual([['Pets', 'Spiff']]);
    expect([...valuesOf(keywords, coldWater)].sort()).toEqual(['Denmark', 'Jesper', 'Skagen']);
  });

  it("reads back through the core's analysis, the photo's pixels untouched", async () => {
    const name = 'eval/kpa-cold-water.jpg';
    const entry = keywords.images[name];
    if (entry === undefined) throw new Error('no entry');
    const bare = readFileSync(path.join(SET_DIR, name));
    const written = withXmpSegment(bare, xmpOf(keywords, entry));

    const { record } = await analyzeImage(written);
    if (record.status !== 'PROCESSED') throw new Error(record.status);
    // The hierarchy's categories (Places, People) are not keywords: only its last levels and dc:subject are.
    expect(record.described?.keywords).toEqual(expect.arrayContaining(['Denmark', 'Skagen', 'Jesper']));
    expect(record.described?.keywords).not.toContain('Places');
    expect(record.described?.caption).toMatch(/^The interesting thing about skagen is that/);
    const { record: before } = await analyzeImage(bare);
    expect(before.status === 'PROCESSED' && before.described).toBeUndefined();

    const pixels = async (jpeg: Buffer) => sharp(jpeg).raw().toBuffer();
    expect((await pixels(written)).equals(await pixels(bare))).toBe(true);
    expect((await sharp(written).metadata()).xmp?.toString('utf8')).toBe(xmpOf(keywords, entry));
  });
});
