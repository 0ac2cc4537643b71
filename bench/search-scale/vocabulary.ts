/**
 * What the synthetic records of the search-scale bench are made of: labels as Rekognition names them, the objects
 * it boxes, cameras, colour families and the words of OCR text, each with the skewed frequencies of a real photo
 * library (a few very common values, a long tail), drawn with a seeded generator.
 */
import words from 'an-array-of-english-words/index.json';
import type { Rng } from '../../test/fuzz/prng';

/**
 * Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s (Zipf): inverse transform sampling on the
 * cumulative weights, by binary search.
 */
export function zipf(n: number, s: number): (rng: Rng) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) {
    total += 1 / (rank + 1) ** s;
    cumulative[rank] = total;
  }
  return (rng) => {
    const target = rng.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A comma-separated list, written across lines. */
const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The commonest photo labels, most frequent first (Rekognition's names). */
const HEAD_LABELS = list(`
  Person, Outdoors, Nature, Sky, Plant, Tree, Building, Architecture, Clothing, Face, Smile, Grass, Water,
  Food, Indoors, Furniture, Vegetation, Land, City, Urban, Road, Car, Vehicle, Animal, Pet, Dog, Mammal, Cat,
  Sea, Ocean, Beach, Mountain, Sunset, Cloud, Flower, Room, Chair, Table, Window, Art, Painting, Child, Girl,
  Boy, Woman, Man, Sport, Bicycle, Boat, Street, Night, Light, Snow, Winter, Forest, Landscape, Scenery,
  Garden, Field, Drink, Cup, Bottle, Plate, Meal, Dish, Dessert, Cake, Bird, Horse, Shoe, Hat, Glasses, Hair,
  Portrait, Photography, Selfie, Crowd, Party, Wedding, Dress, Bridge, Tower, Church, House, Home Decor,
  Lamp, Couch, Bed, Kitchen, Bathroom, Toy, Book, Shelf, Sign, Poster, Graffiti, Statue, Rock, River, Lake,
  Waterfall, Desert, Sand, Fence, Wall, Door, Staircase, Airplane, Train, Bus, Truck, Motorcycle, Wheel,
  Tire
`);

/** Labels Rekognition boxes instances of: each box is an object named by the label in lower case. */
const BOXED = new Set(
  list(`
  Person, Car, Dog, Cat, Chair, Bottle, Cup, Bird, Horse, Boat, Bicycle, Bus, Truck, Motorcycle, Wheel, Tire,
  Book, Lamp, Plate, Shoe, Hat, Glasses, Flower, Airplane, Train, Couch, Bed, Toy, Table, Window, Door
`),
);

/** Rekognition answers a label with its parents: a dog is also an animal, a pet and a mammal. */
const PARENTS: Record<string, string[]> = {
  Dog: ['Animal', 'Pet', 'Mammal'],
  Cat: ['Animal', 'Pet', 'Mammal'],
  Horse: ['Animal', 'Mammal'],
  Bird: ['Animal'],
  Car: ['Vehicle'],
  Bus: ['Vehicle'],
  Truck: ['Vehicle'],
  Motorcycle: ['Vehicle'],
  Face: ['Person'],
  Smile: ['Face', 'Person'],
  Selfie: ['Face', 'Person', 'Portrait'],
  Girl: ['Person', 'Child'],
  Boy: ['Person', 'Child'],
  Woman: ['Person'],
  Man: ['Person'],
  Sunset: ['Sky'],
  Beach: ['Outdoors', 'Sea'],
  Forest: ['Tree', 'Plant', 'Outdoors'],
  Wedding: ['Person', 'Dress'],
};

/** What screenshots and document pages are labelled. */
export const SCREEN_LABELS = ['Text', 'Screen', 'Electronics', 'Computer Hardware', 'Monitor', 'Webpage', 'File'];
export const PAGE_LABELS = ['Text', 'Document', 'Paper', 'Page', 'Letter', 'Receipt', 'Menu'];

/** Labels people add by hand (label corrections): personal, so rare and never a model's. */
export const USER_LABELS = ['Family', 'Vacation 2024', 'Grandma', 'Favourites', 'Work', 'Lisbon trip', 'Garden club'];

/** Camera make and model as EXIF writes them, most common first (phones dominate). */
export const CAMERAS: ReadonlyArray<readonly [string, string]> = [
  ['Apple', 'iPhone 13'],
  ['Apple', 'iPhone 14 Pro'],
  ['samsung', 'SM-S911B'],
  ['Apple', 'iPhone 12'],
  ['Google', 'Pixel 7'],
  ['Apple', 'iPhone 15 Pro Max'],
  ['samsung', 'SM-G991B'],
  ['Apple', 'iPhone 11'],
  ['Google', 'Pixel 8 Pro'],
  ['Apple', 'iPhone XR'],
  ['Xiaomi', '2201123G'],
  ['OnePlus', 'LE2123'],
  ['Canon', 'Canon EOS R6'],
  ['SONY', 'ILCE-7M3'],
  ['NIKON CORPORATION', 'NIKON Z 6'],
  ['FUJIFILM', 'X-T4'],
  ['Canon', 'Canon EOS 5D Mark IV'],
  ['Panasonic', 'DC-G9'],
  ['OLYMPUS CORPORATION', 'E-M10MarkIII'],
  ['DJI', 'FC3582'],
  ['GoPro', 'HERO10 Black'],
  ['SONY', 'ILCE-6400'],
  ['Canon', 'Canon PowerShot G7 X Mark III'],
  ['NIKON CORPORATION', 'NIKON D750'],
  ['RICOH IMAGING COMPANY, LTD.', 'RICOH GR III'],
];

/** Colour families a palette entry is drawn from, with hue, saturation and lightness ranges and a weight. */
export const COLOR_FAMILIES = {
  gray: { h: [0, 360], s: [0, 0.1], l: [0.3, 0.75], weight: 16 },
  black: { h: [0, 360], s: [0, 0.3], l: [0.02, 0.1], weight: 10 },
  white: { h: [0, 360], s: [0, 0.3], l: [0.92, 0.99], weight: 8 },
  brown: { h: [18, 40], s: [0.3, 0.6], l: [0.15, 0.28], weight: 14 },
  blue: { h: [200, 245], s: [0.3, 0.8], l: [0.35, 0.7], weight: 14 },
  green: { h: [80, 150], s: [0.25, 0.7], l: [0.25, 0.55], weight: 14 },
  red: { h: [-8, 10], s: [0.5, 0.9], l: [0.36, 0.55], weight: 5 },
  orange: { h: [20, 40], s: [0.6, 0.9], l: [0.5, 0.62], weight: 6 },
  yellow: { h: [48, 62], s: [0.6, 0.9], l: [0.45, 0.6], weight: 4 },
  teal: { h: [165, 190], s: [0.4, 0.7], l: [0.35, 0.5], weight: 3 },
  purple: { h: [260, 285], s: [0.35, 0.7], l: [0.3, 0.5], weight: 1.5 },
  pink: { h: [320, 340], s: [0.4, 0.8], l: [0.72, 0.82], weight: 1.5 },
} as const;
export type ColorFamily = keyof typeof COLOR_FAMILIES;

/** A colour of a family, as 8-bit sRGB (HSL to RGB). */
export function colorOf(family: ColorFamily, rng: Rng): { r: number; g: number; b: number } {
  const { h, s, l } = COLOR_FAMILIES[family];
  const within = ([lo, hi]: readonly [number, number]) => lo + (hi - lo) * rng.next();
  const hue = (within(h) + 360) % 360;
  const sat = within(s);
  const light = within(l);
  const chroma = (1 - Math.abs(2 * light - 1)) * sat;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const sector = Math.floor(hue / 60);
  const [r, g, b] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ][sector] as [number, number, number];
  const m = light - chroma / 2;
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round((v + m) * 255)));
  return { r: byte(r), g: byte(g), b: byte(b) };
}

/** A family by weight. */
export function colorFamily(rng: Rng): ColorFamily {
  const entries = Object.entries(COLOR_FAMILIES) as Array<[ColorFamily, { weight: number }]>;
  let target = rng.next() * entries.reduce((sum, [, family]) => sum + family.weight, 0);
  for (const [name, family] of entries) {
    target -= family.weight;
    if (target < 0) return name;
  }
  return 'gray';
}

/** Labels and words, ranked, with the samplers the generator uses. */
export interface Vocabulary {
  /** Photo labels, commonest first: the head list, then a long tail of rarer names. */
  labels: string[];
  /** Probability that a photo has the label of each rank (independent draws, ~7 labels a photo). */
  labelChance: Float64Array;
  /** OCR words, ranked; `word` draws a rank by Zipf. */
  words: string[];
  word: (rng: Rng) => number;
  camera: (rng: Rng) => number;
  boxed: ReadonlySet<string>;
  parents: Readonly<Record<string, string[]>>;
}

/** Labels in all, head and tail. */
export const LABEL_COUNT = 1000;
/** Ranked OCR vocabulary. */
const WORD_COUNT = 20_000;

/**
 * The vocabulary for one seed. The tail labels and the word ranks are English words (an-array-of-english-words)
 * in a seeded order, so a rank says how common a word is and nothing about the alphabet.
 */
export function vocabularyFor(rng: Rng): Vocabulary {
  const pool = words.filter((word) => /^[a-z]{3,10}$/.test(word));
  // Partial Fisher-Yates: only the first WORD_COUNT + LABEL_COUNT places are needed.
  for (let i = 0; i < WORD_COUNT + LABEL_COUNT; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  const head = new Set(HEAD_LABELS);
  const tail = pool
    .slice(WORD_COUNT)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .filter((label) => !head.has(label));
  const labels = [...HEAD_LABELS, ...tail].slice(0, LABEL_COUNT);
  return {
    labels,
    labelChance: Float64Array.from(labels, (_, rank) => 0.5 / (rank + 1) ** 0.8),
    words: pool.slice(0, WORD_COUNT),
    word: zipf(WORD_COUNT, 1.05),
    camera: zipf(CAMERAS.length, 1.1),
    boxed: BOXED,
    parents: PARENTS,
  };
}
