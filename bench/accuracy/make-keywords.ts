/**
 * Writes set/kpa-keywords.json: for each photo of the labelled set made from KPhotoAlbum's demo, the categories its
 * photographer gave it there (Events, Places, People) and its description, from the demo database Debian's
 * kphotoalbum package ships (`/usr/share/kphotoalbum/demo/index.xml`), and the database's member groups.
 *
 * 1. Unpack the package (`dpkg-deb -x`, never installed) and read its version; it must be the one labels.json names.
 * 2. Read index.xml: each image's categories and description, and the member groups.
 * 3. For each set photo whose `from` is a demo photo, its photo's entry (a face crop shares its photo's).
 *
 * Usage (set/kpa-keywords.json says it too): cd /tmp && apt-get download kphotoalbum && cd - &&
 *   npx tsx bench/accuracy/make-keywords.ts [--deb /tmp/kphotoalbum_5.9.1-1_amd64.deb] [--work /tmp/kpa] &&
 *   npx biome format --write bench/accuracy/set/kpa-keywords.json
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { CATEGORIES, type Category, type KeywordEntry, type Keywords, KeywordsSchema, KPA_KEYWORDS } from './keywords';
import { readSet } from './set';

const DEMO = '/usr/share/kphotoalbum/demo/';
const INDEX = `${DEMO}index.xml`;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? (process.argv[at + 1] as string) : fallback;
}

interface Element {
  [key: string]: unknown;
}
const list = (value: unknown): Element[] =>
  value === undefined ? [] : ((Array.isArray(value) ? value : [value]) as Element[]);

function main(): void {
  const deb = arg('deb', '/tmp/kphotoalbum_5.9.1-1_amd64.deb');
  const work = arg('work', '/tmp/kpa');
  execFileSync('dpkg-deb', ['-x', deb, work]);
  const version = execFileSync('dpkg-deb', ['-f', deb, 'Version'], { encoding: 'utf8' }).trim();
  const source = `debian kphotoalbum ${version}: ${INDEX}`;

  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false });
  const root = xml.parse(readFileSync(path.join(work, INDEX), 'utf8')).KPhotoAlbum as Element;
  const byFile = new Map<string, KeywordEntry>();
  for (const image of list((root.images as Element).image)) {
    const entry: KeywordEntry = { file: String(image.file), Events: [], Places: [], People: [] };
    for (const option of list((image.options as Element | undefined)?.option)) {
      const category = option.name as Category;
      if (CATEGORIES.includes(category)) entry[category] = list(option.value).map((value) => String(value.value));
    }
    if (typeof image.description === 'string' && image.description !== '') entry.description = image.description;
    byFile.set(entry.file, entry);
  }
  const groups: Keywords['groups'] = {};
  for (const member of list((root['member-groups'] as Element).member)) {
    const category = member.category as Category;
    const group = String(member['group-name']);
    const members = groups[category] ?? {};
    members[group] = [...(members[group] ?? []), String(member.member)];
    groups[category] = members;
  }

  const images: Keywords['images'] = {};
  const set = readSet(path.join(__dirname, 'set'));
  for (const [name, truth] of Object.entries(set.images).sort(([a], [b]) => a.localeCompare(b))) {
    const [from, file] = truth.from.split(`: ${DEMO}`);
    if (file === undefined) continue;
    if (from !== `debian kphotoalbum ${version}`) throw new Error(`${name} is from ${from}, the package is ${version}`);
    const entry = byFile.get(file);
    if (entry === undefined) throw new Error(`${name}: ${file} is not in ${INDEX}`);
    images[name] = entry;
  }
  const out = KeywordsSchema.parse({
    source,
    licence: 'GPL-2+',
    credit: 'KPhotoAlbum demo, Jesper K. Pedersen',
    command:
      'cd /tmp && apt-get download kphotoalbum && cd - && npx tsx bench/accuracy/make-keywords.ts --deb /tmp/kphotoalbum_5.9.1-1_amd64.deb && npx biome format --write bench/accuracy/set/kpa-keywords.json',
    groups,
    images,
  });
  writeFileSync(KPA_KEYWORDS, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`${Object.keys(images).length} photos -> ${path.relative(process.cwd(), KPA_KEYWORDS)}`);
}

main();
