import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { COCO_CLASSES } from '../../lambdas/vision/objects';
import { type LabelEntry, readJigzo, readmeEntry, readRcc } from './make-set';
import { SOURCES } from './set-sources';

const SET_DIR = path.join(__dirname, 'set');
const images = (
  JSON.parse(readFileSync(path.join(SET_DIR, 'labels.json'), 'utf8')) as { images: Record<string, LabelEntry> }
).images;
const COCO: readonly string[] = COCO_CLASSES;
const DERIVED = ['Text', 'Document', 'Monochrome', 'Dark', 'Bright', 'Vegetation', 'Illustration'];
const QUALITY = ['blurry', 'underexposed', 'overexposed', 'lowContrast'];

describe('the evaluation set', () => {
  it('labels every picture on disk, and only those, once per name', () => {
    const onDisk = ['tune', 'eval'].flatMap((split) =>
      readdirSync(path.join(SET_DIR, split)).map((file) => `${split}/${file}`),
    );
    expect(Object.keys(images).sort()).toEqual(onDisk.sort());
    expect(Object.keys(images).sort()).toEqual(SOURCES.map((s) => `${s.split}/${s.name}.jpg`).sort());
    const names = Object.keys(images).map((key) => path.basename(key));
    expect(new Set(names).size).toBe(names.length);
  });

  it('uses only COCO class names, the derived labels and the quality flags', () => {
    for (const [key, entry] of Object.entries(images)) {
      for (const name of [...entry.objects, ...entry.maybeObjects])
        expect([key, COCO.includes(name)]).toEqual([key, true]);
      expect([key, entry.objects.filter((name) => entry.maybeObjects.includes(name))]).toEqual([key, []]);
      expect([key, entry.labels.filter((label) => !DERIVED.includes(label))]).toEqual([key, []]);
      expect([key, entry.quality.filter((flag) => !QUALITY.includes(flag))]).toEqual([key, []]);
      expect([key, entry.licence.length > 0 && /^(debian|npm) /.test(entry.from)]).toEqual([key, true]);
    }
  });

  it('keeps each picture within 1024 px and the whole set under 20 MB', async () => {
    let bytes = 0;
    for (const key of Object.keys(images)) {
      const file = path.join(SET_DIR, key);
      bytes += statSync(file).size;
      const { width = 0, height = 0, format, exif } = await sharp(file).metadata();
      expect([key, format, Math.max(width, height) <= 1024, exif]).toEqual([key, 'jpeg', true, undefined]);
    }
    expect(bytes).toBeLessThan(20 * 1024 * 1024);
  });

  it('shares the faces and the common classes between the halves', () => {
    const count = (split: string, pick: (entry: LabelEntry) => number) =>
      Object.entries(images)
        .filter(([key]) => key.startsWith(`${split}/`))
        .reduce((sum, [, entry]) => sum + pick(entry), 0);
    for (const split of ['tune', 'eval']) {
      expect(count(split, (entry) => entry.faces)).toBeGreaterThanOrEqual(15);
      expect(count(split, (entry) => Number(entry.objects.includes('person')))).toBeGreaterThanOrEqual(12);
      expect(count(split, (entry) => Number(entry.objects.length === 0))).toBeGreaterThanOrEqual(40);
    }
    // The classes with the 5 tuning photos a threshold of its own needs, and some in the evaluation half.
    for (const name of ['person', 'bird', 'cat', 'dog', 'cow', 'sports ball']) {
      const has = (entry: LabelEntry) => Number(entry.objects.includes(name));
      expect([name, count('tune', has) >= 5, count('eval', has) >= 1]).toEqual([name, true, true]);
    }
  });

  it('keeps a crop in the half of the photo it is cut from', () => {
    for (const crop of SOURCES.filter((source) => source.crop)) {
      const whole = SOURCES.filter((source) => source.file === crop.file && !source.crop);
      expect([crop.name, whole.map((source) => source.split)]).toEqual([crop.name, [crop.split]]);
    }
  });
});

describe('make-set readers', () => {
  it('reads a GCompris README entry by file name or relative path', () => {
    const readme =
      'Copyright: A\nLicense: CC0-1.0\nFiles:\nx.webp\n\nCopyright: B\nSource: https://s\nLicense: Public Domain\nFiles:\nfrance/y.webp\n';
    expect(readmeEntry(readme, 'x.webp')).toEqual({ licence: 'CC0-1.0', credit: 'A' });
    expect(readmeEntry(readme, 'france/y.webp')).toEqual({ licence: 'Public Domain', credit: 'B; https://s' });
    expect(readmeEntry(readme, 'z.webp')).toBeUndefined();
  });

  it("reads a jigzo puzzle's texture atlas and the region of it that is the photograph", () => {
    const file = (name: string, bytes: string) => `${name}\n${Buffer.byteLength(bytes, 'latin1')}\n${bytes}`;
    const puzzle = Buffer.from(
      'PzlF\n0.1\nx-2x2\nhttp://example.org/\n' +
        file('x-2x2.map', '#texture map data\ncrop000 1 2 3 4 0 0 0 0 0 0\nimage 0 10 482 642 1 1\n') +
        file('x-2x2-t.jpg', 'thumb\n\n') +
        file('x-2x2.png', 'mask') +
        file('x-2x2.jpg', 'atlas\n'),
      'latin1',
    );
    const { atlas, region } = readJigzo(puzzle);
    expect([atlas.toString('latin1'), region]).toEqual(['atlas\n', { left: 0, top: 10, width: 482, height: 642 }]);
    expect(() => readJigzo(Buffer.from(`PzlF\n0.1\nx\nu\n${file('x.png', 'mask')}`))).toThrow('not a jigzo puzzle');
  });

  it('reads the files of a Qt resource bundle, compressed or not, with shared names', () => {
    // A format-3 bundle: root -> dirs "a" and "b", each holding a file named "README" (one name entry, two nodes).
    const name = (text: string) => {
      const utf16 = Buffer.from(text, 'utf16le').swap16();
      const head = Buffer.alloc(6);
      head.writeUInt16BE(text.length, 0);
      return Buffer.concat([head, utf16]);
    };
    const names = Buffer.concat([name('a'), name('b'), name('README')]);
    const nameAt = { a: 0, b: 8, README: 16 };
    const plain = Buffer.from('plain');
    const packed = deflateSync(Buffer.from('packed'));
    const blob = (bytes: Buffer) => {
      const size = Buffer.alloc(4);
      size.writeUInt32BE(bytes.length);
      return Buffer.concat([size, bytes]);
    };
    const packedWithSize = Buffer.concat([Buffer.from([0, 0, 0, 6]), packed]);
    const data = Buffer.concat([blob(plain), blob(packedWithSize)]);
    const node = (nameOffset: number, flags: number, a: number, b: number) => {
      const n = Buffer.alloc(22);
      n.writeUInt32BE(nameOffset, 0);
      n.writeUInt16BE(flags, 4);
      n.writeUInt32BE(a, 6);
      n.writeUInt32BE(b, 10);
      return n;
    };
    const tree = Buffer.concat([
      node(0, 2, 2, 1), // root: 2 children from node 1
      node(nameAt.a, 2, 1, 3),
      node(nameAt.b, 2, 1, 4),
      node(nameAt.README, 0, 0, 0), // a/README, data at 0, stored
      node(nameAt.README, 1, 0, 4 + plain.length), // b/README, zlib
    ]);
    const header = Buffer.alloc(24);
    header.write('qres', 0, 'latin1');
    header.writeUInt32BE(3, 4);
    header.writeUInt32BE(24, 8);
    header.writeUInt32BE(24 + tree.length, 12);
    header.writeUInt32BE(24 + tree.length + data.length, 16);
    const files = readRcc(Buffer.concat([header, tree, data, names]));
    expect(Object.fromEntries([...files].map(([key, value]) => [key, value.toString()]))).toEqual({
      '/a/README': 'plain',
      '/b/README': 'packed',
    });
  });

  it('has every package it reads listed with its download command in the README', () => {
    const readme = readFileSync(path.join(SET_DIR, 'README.md'), 'utf8');
    for (const pkg of new Set(SOURCES.map((source) => source.pkg)))
      expect([pkg, readme.includes(pkg)]).toEqual([pkg, true]);
  });
});
