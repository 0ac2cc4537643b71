/**
 * What a text watermark can draw: the Hershey stroke font (text-svg.ts) has printable ASCII only, so each
 * user-perceived character (grapheme) of a watermark text is folded to something it can draw. Kept apart from the
 * font data so that settings validation can name undrawable characters without bundling the font.
 */

/** One drawn unit of a folded text. */
export type TextPiece =
  /** A printable ASCII character (space included), drawn from the font. */
  | { kind: 'char'; char: string }
  /** © and ®: the font's `c` or `R`, small, in a circle. */
  | { kind: 'circled'; char: 'c' | 'R' }
  /** A character with no drawing: an empty box, as fonts draw a character they lack (`.notdef`). */
  | { kind: 'missing'; grapheme: string };

/** Typographic characters with a plain ASCII look-alike, which NFKD leaves as they are (or makes: ½ is 1⁄2). */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'", // ‘
  '\u2019': "'", // ’
  '\u201a': "'", // ‚
  '\u2032': "'", // ′
  '\u201c': '"', // “
  '\u201d': '"', // ”
  '\u201e': '"', // „
  '\u2033': '"', // ″
  '\u00ab': '"', // «
  '\u00bb': '"', // »
  '\u2010': '-', // ‐
  '\u2012': '-', // ‒
  '\u2013': '-', // –
  '\u2014': '-', // —
  '\u2212': '-', // −
  '\u00b7': '.', // ·
  '\u2022': '.', // •
  '\u2044': '/', // ⁄ (NFKD's fraction slash: ½ is 1⁄2)
  '\u00d7': 'x', // ×
  '\u00df': 'ss', // ß
};

const CIRCLED: Readonly<Record<string, 'c' | 'R'>> = { '\u00a9': 'c', '\u00ae': 'R' };

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
/** Combining marks (accents NFKD splits off) and invisible format characters (joiners, variation selectors). */
const DROPPED = /[\p{M}\p{Cf}]/gu;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * `text` as the pieces the stroke font draws, one grapheme at a time:
 * 1. © and ® are drawn circled;
 * 2. the compatibility decomposition (NFKD), with accents and invisible format characters dropped: é is e, ﬁ is
 *    fi, ™ is TM, a full-width Ａ is A, a no-break space a space;
 * 3. typographic quotes, dashes, bullets and the like become their ASCII look-alikes;
 * 4. what is still not printable ASCII (other scripts, emoji, symbols) is one empty box per grapheme: visible, so
 *    a deployment sees what its font cannot draw, rather than a text silently shortened.
 */
export function foldText(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  for (const { segment } of graphemes.segment(text)) {
    const circled = CIRCLED[segment];
    if (circled) {
      pieces.push({ kind: 'circled', char: circled });
      continue;
    }
    const folded = [...segment.normalize('NFKD').replace(DROPPED, '')]
      .map((c) => LOOK_ALIKES[c] ?? c)
      .join('')
      .replace(/\s/gu, ' ');
    if (folded === '') continue;
    if (PRINTABLE_ASCII.test(folded)) pieces.push(...[...folded].map((char) => ({ kind: 'char' as const, char })));
    else pieces.push({ kind: 'missing', grapheme: segment });
  }
  return pieces;
}

/** The graphemes of `text` a text watermark draws as empty boxes, once each. */
export function undrawableCharacters(text: string): string[] {
  const missing = foldText(text).flatMap((piece) => (piece.kind === 'missing' ? [piece.grapheme] : []));
  return [...new Set(missing)];
}

/** Why a text watermark would not show as written, in a sentence, or undefined: for the settings check. */
export function textWatermarkProblem(text: string): string | undefined {
  if (foldText(text).every((piece) => piece.kind === 'char' && piece.char === ' ')) return 'the text draws nothing';
  const missing = undrawableCharacters(text);
  if (missing.length === 0) return undefined;
  return (
    `the watermark font has no ${missing.join(' ')} and would draw ${missing.length === 1 ? 'it' : 'them'} as ` +
    'empty boxes: it draws printable ASCII, © and ®, and Latin letters without their accents'
  );
}
