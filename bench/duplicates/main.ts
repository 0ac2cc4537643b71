/*
 * Near-duplicate signals (issue 81, item 1), measured before the clustering is built: which perceptual-hash
 * comparisons find a photo's copies (re-encoded, resized, turned by EXIF, watermarked, brightened, cropped) and
 * which wrongly pair different photos (unrelated ones, and different photos of one scene), and what each costs in
 * postings written and read per photo. README.md says where the pictures come from; results.md is this output.
 *
 *   npm run bench:duplicates            # about a minute on 2 cores
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { hammingDistance, PHASH_RASTER_SIZE, perceptualHash } from '../../lambdas/core/analysis/phash';
import { bandRadii, neighbours, PHASH_BANDS } from '../../lambdas/core/analysis/phash-bands';
import { describeMachine } from '../../test/support/machine';

const SET = path.join(__dirname, '../accuracy/set');
const { images: LABELS } = JSON.parse(readFileSync(path.join(SET, 'labels.json'), 'utf8')) as {
  images: Record<string, { from: string; licence: string }>;
};
const NAMES = Object.keys(LABELS).sort();

/**
 * The windows a photo is hashed over, each as the part of the upright picture kept (left, top, width, height, in
 * fractions): the whole, the middle 90 % and 80 % (a copy cropped evenly), and 90 % against each edge (a copy cut on
 * one side). A copy's whole picture is then near one of its original's windows, or the other way round.
 */
const WINDOWS = {
  whole: [0, 0, 1, 1],
  middle90: [0.05, 0.05, 0.9, 0.9],
  middle80: [0.1, 0.1, 0.8, 0.8],
  left90: [0, 0, 0.9, 1],
  right90: [0.1, 0, 0.9, 1],
  top90: [0, 0, 1, 0.9],
  bottom90: [0, 0.1, 1, 0.9],
} as const;
type Window = keyof typeof WINDOWS;
type Hashes = Record<Window, string>;

/** The rules compared: which of a photo's window hashes are stored, each compared with the other's whole. */
const RULES: { name: string; windows: Window[] }[] = [
  { name: 'whole only (today: `/similar`)', windows: [] },
  { name: 'whole + middle 90 %, 80 %', windows: ['middle90', 'middle80'] },
  { name: 'whole + middle + each edge', windows: ['middle90', 'middle80', 'left90', 'right90', 'top90', 'bottom90'] },
];
const DISTANCES = [6, 8, 10, 12];

/**
 * The window hashes of a picture, as the core hashes a photo (lambdas/core/analysis/analyze.ts: upright, flattened
 * on white, 32x32 greyscale, the DCT hash), from one decode brought to 512 px as the core's largest thumbnail.
 */
async function windowHashes(bytes: Buffer): Promise<Hashes> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize(512, 512, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const entries = await Promise.all(
    Object.entries(WINDOWS).map(async ([name, [left, top, width, height]]) => {
      const grey = await sharp(data, { raw: info })
        .extract(region(info.width, info.height, [left, top, width, height]))
        .flatten({ background: '#ffffff' })
        .resize(PHASH_RASTER_SIZE, PHASH_RASTER_SIZE, { fit: 'fill' })
        .greyscale()
        .raw()
        .toBuffer();
      return [name, perceptualHash(new Uint8Array(grey))] as const;
    }),
  );
  return Object.fromEntries(entries) as Hashes;
}

/** The nearest of a pair under a rule: whole to whole, and each stored window of one to the other's whole. */
function distance(a: Hashes, b: Hashes, windows: Window[]): number {
  let nearest = hammingDistance(a.whole, b.whole);
  for (const window of windows) {
    nearest = Math.min(nearest, hammingDistance(a[window], b.whole), hammingDistance(a.whole, b[window]));
  }
  return nearest;
}

/** `[left, top, width, height]` (fractions) of a `w` x `h` picture, in whole pixels inside it. */
function region(w: number, h: number, [left, top, width, height]: readonly [number, number, number, number]) {
  const x = Math.floor(left * w);
  const y = Math.floor(top * h);
  return {
    left: x,
    top: y,
    width: Math.min(w - x, Math.round(width * w)),
    height: Math.min(h - y, Math.round(height * h)),
  };
}

/** Cut `[left, top, width, height]` (fractions) out of a picture. */
async function cut(
  bytes: Buffer,
  [left, top, width, height]: readonly [number, number, number, number],
): Promise<Buffer> {
  const { width: w = 0, height: h = 0 } = await sharp(bytes).rotate().metadata();
  return sharp(bytes)
    .rotate()
    .extract(region(w, h, [left ?? 0, top ?? 0, width ?? 1, height ?? 1]))
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function watermark(bytes: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const size = Math.round(height * 0.07);
  const svg = `<svg width="${width}" height="${height}"><text x="${width * 0.5}" y="${height * 0.94}" font-size="${size}"
    font-family="sans-serif" fill="white" stroke="black" stroke-width="1">© a photographer 2026</text></svg>`;
  return sharp(bytes)
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** The copies made of each picture, each a duplicate a user would want found. */
const COPIES: Record<string, (bytes: Buffer) => Promise<Buffer>> = {
  're-encoded (JPEG q40)': (bytes) => sharp(bytes).jpeg({ quality: 40 }).toBuffer(),
  'resized (320 px, q80)': (bytes) => sharp(bytes).resize({ width: 320 }).jpeg({ quality: 80 }).toBuffer(),
  'turned by EXIF (stored sideways, orientation 6)': (bytes) =>
    sharp(bytes).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer(),
  'watermarked (text, bottom right)': watermark,
  'brightened 15 %': (bytes) => sharp(bytes).modulate({ brightness: 1.15 }).jpeg({ quality: 90 }).toBuffer(),
  'cropped 5 % each side': (bytes) => cut(bytes, [0.05, 0.05, 0.9, 0.9]),
  'cropped 10 % each side': (bytes) => cut(bytes, [0.1, 0.1, 0.8, 0.8]),
  'cropped 10 % off one side': (bytes) => cut(bytes, [0.1, 0, 0.9, 1]),
  'cropped 7 % off a corner': (bytes) => cut(bytes, [0.07, 0.07, 0.93, 0.93]),
};

/**
 * Pairs of one scene that are different photos, never duplicates: KPhotoAlbum's demo album has several photos of
 * each of seven moments (the same people at the same table, the same dog, the same canyon), and each picture's left
 * 70 % against its right 70 % is a step to the side (40 % of the view shared).
 */
function sameMoment(a: string, b: string): boolean {
  const moment = (name: string) => /\/kpa-(.+?)(-\d)?\.jpg$/.exec(name)?.[1]?.replace(/-face$/, '') ?? `${name} alone`;
  return a !== b && moment(a) === moment(b);
}

/** Band values read per photo arriving: every stored hash probed to within `maxDistance` (similar-images.ts). */
function probesPerPhoto(hashesStored: number, maxDistance: number): number {
  const perHash = bandRadii(maxDistance).reduce((sum, radius) => sum + neighbours('0000', radius).length, 0);
  // The arriving photo's whole probes every stored window's postings (one list of values for all of them), and each
  // of its windows probes the stored wholes.
  return perHash * hashesStored;
}

const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((100 * part) / whole)} %`);

async function main() {
  const started = performance.now();
  const originals = new Map<string, Hashes>();
  const copies = new Map<string, { name: string; hashes: Hashes }[]>();
  for (const name of NAMES) {
    const bytes = readFileSync(path.join(SET, name));
    originals.set(name, await windowHashes(bytes));
    for (const [kind, make] of Object.entries(COPIES)) {
      const list = copies.get(kind) ?? [];
      list.push({ name, hashes: await windowHashes(await make(bytes)) });
      copies.set(kind, list);
    }
  }
  const reframes = await Promise.all(
    NAMES.map(async (name) => {
      const bytes = readFileSync(path.join(SET, name));
      return [
        await windowHashes(await cut(bytes, [0, 0, 0.7, 1])),
        await windowHashes(await cut(bytes, [0.3, 0, 0.7, 1])),
      ];
    }),
  );
  // Different photos: pairs from different sources (a face crop and its photo share one, and are left out).
  const pairs: { a: string; b: string; moment: boolean }[] = [];
  for (let i = 0; i < NAMES.length; i++) {
    for (let j = i + 1; j < NAMES.length; j++) {
      const [a, b] = [NAMES[i] as string, NAMES[j] as string];
      if (LABELS[a]?.from !== LABELS[b]?.from) pairs.push({ a, b, moment: sameMoment(a, b) });
    }
  }
  const moments = pairs.filter((pair) => pair.moment);

  const lines: string[] = [
    '# Near-duplicate signals: results',
    '',
    `Command: \`npm run bench:duplicates\`. ${describeMachine()}`,
    '',
    `${NAMES.length} pictures (bench/accuracy/set, both halves), ${Object.keys(COPIES).length} copies of each ` +
      `(${NAMES.length * Object.keys(COPIES).length} duplicate pairs), ${pairs.length} pairs of different pictures, ` +
      `${moments.length} of them different photos of one moment, and ${reframes.length} steps to the side.`,
    '',
  ];
  for (const rule of RULES) {
    const stored = 1 + rule.windows.length;
    lines.push(`## ${rule.name}`, '');
    lines.push(
      `${stored} hash${stored > 1 ? 'es' : ''} a photo: ${stored * PHASH_BANDS} band postings written per photo.`,
      '',
    );
    lines.push(`| copy | ${DISTANCES.map((d) => `found at <= ${d}`).join(' | ')} |`);
    lines.push(`| --- | ${DISTANCES.map(() => '---').join(' | ')} |`);
    let found = DISTANCES.map(() => 0);
    for (const [kind, list] of copies) {
      const row = DISTANCES.map(
        (d) =>
          list.filter(({ name, hashes }) => distance(originals.get(name) as Hashes, hashes, rule.windows) <= d).length,
      );
      found = found.map((sum, i) => sum + (row[i] ?? 0));
      lines.push(`| ${kind} | ${row.map((n) => percent(n, list.length)).join(' | ')} |`);
    }
    const duplicates = NAMES.length * copies.size;
    const wrong = DISTANCES.map(
      (d) =>
        pairs.filter(({ a, b }) => distance(originals.get(a) as Hashes, originals.get(b) as Hashes, rule.windows) <= d)
          .length,
    );
    const wrongMoments = DISTANCES.map(
      (d) =>
        moments.filter(
          ({ a, b }) => distance(originals.get(a) as Hashes, originals.get(b) as Hashes, rule.windows) <= d,
        ).length,
    );
    const wrongSteps = DISTANCES.map(
      (d) => reframes.filter(([left, right]) => distance(left as Hashes, right as Hashes, rule.windows) <= d).length,
    );
    lines.push(`| **every copy (recall)** | ${found.map((n) => `**${percent(n, duplicates)}**`).join(' | ')} |`);
    lines.push(
      `| different pictures paired | ${wrong.map((n) => `${n} of ${pairs.length} (${((1e6 * n) / pairs.length).toFixed(0)} per million)`).join(' | ')} |`,
    );
    lines.push(
      `| one moment, different photos, paired | ${wrongMoments.map((n) => `${n} of ${moments.length}`).join(' | ')} |`,
    );
    lines.push(`| a step to the side, paired | ${wrongSteps.map((n) => `${n} of ${reframes.length}`).join(' | ')} |`);
    lines.push(
      `| **precision on these pairs** | ${found.map((n, i) => `**${percent(n, n + (wrong[i] ?? 0) + (wrongSteps[i] ?? 0))}**`).join(' | ')} |`,
    );
    lines.push(
      `| band values read per arriving photo | ${DISTANCES.map((d) => probesPerPhoto(stored, d).toLocaleString('en')).join(' | ')} |`,
    );
    lines.push('');
    const misses = pairs
      .map(({ a, b }) => ({
        a,
        b,
        d: distance(originals.get(a) as Hashes, originals.get(b) as Hashes, rule.windows),
      }))
      .filter(({ d }) => d <= 10)
      .sort((x, y) => x.d - y.d);
    if (misses.length > 0) {
      lines.push('Different pictures within 10:', '');
      for (const { a, b, d } of misses) lines.push(`- ${a} and ${b}: ${d}`);
      lines.push('');
    }
  }
  lines.push(`Made in ${((performance.now() - started) / 1000).toFixed(0)} s.`, '');
  const text = lines.join('\n');
  writeFileSync(path.join(__dirname, 'results.md'), text);
  process.stdout.write(text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
