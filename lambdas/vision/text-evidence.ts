import type { Box } from '../core/vision-schema';

/** Tokens shorter than this say little: OCR reads single letters and pairs into rims, stripes and textures. */
const MIN_WORD_LETTERS = 3;
/** A token the dictionary does not know (a name, a misread, another language) counts for this much of a word. */
const UNKNOWN_WORD_WEIGHT = 0.5;
/** Side of the grid the union of line boxes is measured on. */
const COVERAGE_GRID = 100;

/** How much readable text the OCR found, as the Text and Document rules weigh it. */
export interface TextEvidence {
  /**
   * Words read, each weighted by its line's confidence: a dictionary word of 3+ letters counts 1, any other run of
   * 3+ letters 0.5, shorter tokens nothing.
   */
  words: number;
  /** How many of those are dictionary words (unweighted). */
  dictionaryWords: number;
  /** Share of the image the line boxes cover, overlaps counted once (0-1). */
  coverage: number;
}

let words: readonly string[] | undefined;

/** The English word list (`an-array-of-english-words`, ~275,000 lower-case words, sorted), loaded on first use. */
function dictionary(): readonly string[] {
  // About 0.2 s and 25 MB the first time: only pictures in which the OCR read something pay for it.
  words ??= require('an-array-of-english-words') as string[];
  return words;
}

/** Whether `token` (any case) is an English dictionary word. */
export function isDictionaryWord(token: string): boolean {
  const list = dictionary();
  const word = token.toLowerCase();
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = list[middle] as string;
    if (candidate === word) return true;
    if (candidate < word) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Weigh what the OCR read: words (dictionary words fully, other letter runs half) and the area the lines cover. */
export function textEvidence(lines: readonly { text: string; confidence: number; box: Box }[]): TextEvidence {
  let weighted = 0;
  let dictionaryWords = 0;
  for (const line of lines) {
    for (const token of line.text.match(/\p{L}+/gu) ?? []) {
      if ([...token].length < MIN_WORD_LETTERS) continue;
      if (isDictionaryWord(token)) {
        dictionaryWords++;
        weighted += line.confidence;
      } else {
        weighted += UNKNOWN_WORD_WEIGHT * line.confidence;
      }
    }
  }
  return { words: round(weighted), dictionaryWords, coverage: round(coverage(lines.map((line) => line.box))) };
}

/** Share of the unit square the boxes cover, on a 100x100 grid so overlapping boxes count once. */
function coverage(boxes: readonly Box[]): number {
  if (boxes.length === 0) return 0;
  const covered = new Uint8Array(COVERAGE_GRID * COVERAGE_GRID);
  const cell = (f: number) => Math.min(COVERAGE_GRID, Math.max(0, Math.round(f * COVERAGE_GRID)));
  for (const box of boxes) {
    for (let y = cell(box.top); y < cell(box.top + box.height); y++) {
      covered.fill(1, y * COVERAGE_GRID + cell(box.left), y * COVERAGE_GRID + cell(box.left + box.width));
    }
  }
  return covered.reduce((sum, c) => sum + c, 0) / covered.length;
}

const round = (n: number) => Math.round(n * 10000) / 10000;
