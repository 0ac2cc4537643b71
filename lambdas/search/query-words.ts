import lemmatizer from 'wink-lemmatizer';
import { COLOR_NAMES, type ColorName } from '../core/vocabulary';
import { PREFIX_LENGTH } from '../store/labels';
import WORD_CLASSES from './words/word-classes.json';

/*
 * What a word of the search box stands for besides its own letters (docs/search.md "Words, not tokens"): its
 * singular and other forms (English, wink-lemmatizer: `horses` is `horse`, `men` is `man`), the classes the models
 * name that it is broader than (`animal` reaches `dog`: WordNet, word-classes.json), the class it is narrower than
 * (`eagle` reaches `bird`, but only as a likely match: the model saw a bird, not that it is an eagle), and a colour
 * of the palette (`blue`). English only: a deployment's words are the models' class names, which are English.
 */

/** How a word reached what it matched, beyond its own letters. */
export type Reach = 'form' | 'broader' | 'narrower' | 'colour';

export interface WordReading {
  /** The word as asked, normalised. */
  readonly word: string;
  /** The word and its dictionary form when that differs (`horses`: `horses`, `horse`): each begins a word it finds. */
  readonly forms: readonly string[];
  /** The classes it finds as surely as their own name: those it is broader than, or an everyday word for. */
  readonly classes: readonly string[];
  /** The classes it is narrower than: an image shown with one is found, as a likely match of the word. */
  readonly narrower: readonly string[];
  /** The palette colour it names. */
  readonly colour?: ColorName;
}

/**
 * Everyday words for a person, which the detector's `person` stands for: WordNet puts a man under adult under person
 * (narrower), but nobody asking for `people` or `woman` means a likely match. The detector does not tell a man from a
 * woman: each finds every photo with a person.
 */
const PERSON_WORDS = ['people', 'human', 'man', 'woman', 'child', 'kid', 'boy', 'girl', 'baby', 'adult', 'lady', 'guy'];

const BROADER = WORD_CLASSES.broader as Readonly<Record<string, readonly string[]>>;
const NARROWER = WORD_CLASSES.narrower as Readonly<Record<string, readonly string[]>>;
const own = (map: Readonly<Record<string, readonly string[]>>, word: string) =>
  Object.hasOwn(map, word) ? (map[word] as readonly string[]) : [];

const readings = new Map<string, WordReading>();

/** What a normalised word of `q` stands for (remembered: a search asks for each of its words many times). */
export function readingOf(word: string): WordReading {
  const known = readings.get(word);
  if (known) return known;
  const reading = read(word);
  if (readings.size < 10_000) readings.set(word, reading);
  return reading;
}

function read(word: string): WordReading {
  // A word shorter than a prefix matches only itself (posting-match.ts): no forms, no classes.
  if ([...word].length < PREFIX_LENGTH || !/^[a-z]+$/.test(word))
    return { word, forms: [word], classes: [], narrower: [] };
  const lemma = lemmatizer.noun(word);
  const forms = lemma !== word && lemma.length >= PREFIX_LENGTH ? [word, lemma] : [word];
  const classes = new Set<string>();
  const narrower = new Set<string>();
  for (const form of forms) {
    for (const name of own(BROADER, form)) classes.add(name);
    if (PERSON_WORDS.includes(form)) classes.add('person');
    for (const name of own(NARROWER, form)) narrower.add(name);
  }
  for (const name of classes) narrower.delete(name);
  const colour = forms
    .map((form) => (form === 'grey' ? 'gray' : form))
    .find((form): form is ColorName => (COLOR_NAMES as readonly string[]).includes(form));
  // A colour word means the colour: `white` is not WordNet's white person, nor `orange` a class under it.
  if (colour !== undefined) return { word, forms, classes: [], narrower: [], colour };
  return {
    word,
    forms,
    classes: [...classes],
    narrower: [...narrower],
    ...(colour !== undefined && { colour }),
  };
}
