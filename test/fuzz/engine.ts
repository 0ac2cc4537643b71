/**
 * The mutation engine: the seed corpus, and `generate(corpus, seed, iteration)`, which rebuilds the same input for
 * the same (seed, iteration) on any machine with the same corpus.
 *
 * 1. The iteration's own random stream picks a format, then a seed input of that format.
 * 2. It stacks one to six mutations, each drawn from the generic byte mutators (30 %), the structural ones over
 *    the format's units (25 %) or the format's own edits (45 %); a mutator that does not apply is redrawn.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sniffFormat } from '../../lambdas/core/analysis/sniff';
import { fixturePath } from '../fixtures';
import { bmff } from './formats/bmff';
import { gif } from './formats/gif';
import { jpeg } from './formats/jpeg';
import { png } from './formats/png';
import { tiff } from './formats/tiff';
import { webp } from './formats/webp';
import {
  type Donor,
  type FormatModel,
  FUZZ_FORMATS,
  type FuzzFormat,
  type Mutation,
  type MutationContext,
  type Mutator,
} from './mutation';
import { GENERIC, structural } from './mutators';
import { rngFor } from './prng';

/** The real fixtures the fuzzer starts from; test/fixtures/fuzz/seeds/ adds small variants of them. */
const FIXTURE_SEEDS = [
  'photos/kite.jpg',
  'photos/cups.jpg',
  'formats/cmyk.jpg',
  'formats/exif-gps.jpg',
  'formats/rotated-exif6.jpg',
  'bad/truncated.jpg',
  'formats/forest.png',
  'formats/alpha.png',
  'formats/16bit.png',
  'bad/huge-dimensions.png',
  'bad/bomb-20000.png',
  'formats/forest.webp',
  'formats/animated.gif',
  'formats/forest.tiff',
  'formats/forest.avif',
  'formats/forest.heic',
];
export const SEEDS_DIR = fixturePath('fuzz/seeds');

/** Inputs grown past this by stacked duplications are cut back, so no single input dominates a run. */
const MAX_INPUT_BYTES = 8 * 1024 * 1024;
const MAX_STACK = 6;

const MODELS: Record<FuzzFormat, FormatModel> = { jpeg, png, webp, gif, tiff, avif: bmff, heic: bmff };
const STRUCTURAL = new Map<FuzzFormat, Mutator[]>(FUZZ_FORMATS.map((f) => [f, structural(MODELS[f].units)]));

export interface Corpus {
  formats: FuzzFormat[];
  byFormat: Map<FuzzFormat, Donor[]>;
  all: Donor[];
}

export interface FuzzCase {
  seed: number;
  iteration: number;
  /** The corpus' formats: part of what the input is rebuilt from (`--format`). */
  formats: FuzzFormat[];
  format: FuzzFormat;
  /** The seed input it was made from. */
  base: string;
  mutations: string[];
  bytes: Buffer;
}

const isFuzzFormat = (format: string | undefined): format is FuzzFormat =>
  (FUZZ_FORMATS as readonly string[]).includes(format ?? '');

/** The seed inputs of the given formats, each format's files in a fixed order (so iterations replay). */
export function loadCorpus(formats: readonly FuzzFormat[] = FUZZ_FORMATS): Corpus {
  const files = [
    ...FIXTURE_SEEDS.map((name) => ({ name, path: fixturePath(name) })),
    ...readdirSync(SEEDS_DIR)
      .sort()
      .map((file) => ({ name: `fuzz/seeds/${file}`, path: join(SEEDS_DIR, file) })),
  ];
  const all: Donor[] = [];
  for (const { name, path } of files) {
    const bytes = readFileSync(path);
    const format = sniffFormat(bytes);
    if (isFuzzFormat(format)) all.push({ name, format, bytes });
  }
  const byFormat = new Map<FuzzFormat, Donor[]>();
  for (const format of formats) {
    const seeds = all.filter((seed) => seed.format === format);
    if (seeds.length === 0) throw new Error(`no seed input for ${format}`);
    byFormat.set(format, seeds);
  }
  return { formats: [...formats], byFormat, all };
}

/** Unit names read from broken files can be any bytes; notes are for people and JSON. */
const printable = (note: string): string => [...note].map((char) => (char >= ' ' && char <= '~' ? char : '?')).join('');

/** Runs one mutator; bounds errors from a parser walking a file earlier mutations broke mean "does not apply". */
function apply(mutator: Mutator, bytes: Buffer, context: MutationContext): Mutation | undefined {
  try {
    return mutator(bytes, context);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

export function generate(corpus: Corpus, seed: number, iteration: number): FuzzCase {
  const rng = rngFor(seed, iteration);
  const format = rng.pick(corpus.formats);
  const seeds = corpus.byFormat.get(format) as Donor[];
  const base = rng.pick(seeds);
  const context: MutationContext = {
    rng,
    format,
    donor: (anyFormat = false) => rng.pick(anyFormat ? corpus.all : seeds),
  };
  const pools = [GENERIC, STRUCTURAL.get(format) as Mutator[], MODELS[format].edits];
  let depth = 1;
  while (depth < MAX_STACK && rng.chance(0.5)) depth++;
  let bytes = base.bytes;
  const mutations: string[] = [];
  for (let i = 0; i < depth; i++) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const draw = rng.next();
      const pool = pools[draw < 0.3 ? 0 : draw < 0.55 ? 1 : 2] as Mutator[];
      const mutation = apply(rng.pick(pool), bytes, context);
      if (mutation) {
        bytes = mutation.bytes;
        mutations.push(printable(mutation.note));
        break;
      }
    }
  }
  if (bytes.length > MAX_INPUT_BYTES) {
    bytes = bytes.subarray(0, MAX_INPUT_BYTES);
    mutations.push(`cut to ${MAX_INPUT_BYTES}B`);
  }
  return { seed, iteration, formats: corpus.formats, format, base: base.name, mutations, bytes };
}

/** The extension a saved input gets, so a person (and an image viewer) can tell what it was meant to be. */
export const EXTENSIONS: Record<FuzzFormat, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tiff',
  avif: 'avif',
  heic: 'heic',
};
