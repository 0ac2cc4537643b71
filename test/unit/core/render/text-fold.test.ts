import {
  foldText,
  type TextPiece,
  textWatermarkProblem,
  undrawableCharacters,
} from '../../../../lambdas/core/render/text-fold';

/** The pieces as a string: characters as they are, circled ones as (c), missing ones as a box. */
const shown = (pieces: TextPiece[]): string =>
  pieces
    .map((piece) => (piece.kind === 'char' ? piece.char : piece.kind === 'circled' ? `(${piece.char})` : '□'))
    .join('');

describe('foldText', () => {
  it('keeps every printable ASCII character as it is', () => {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    expect(shown(foldText(ascii))).toBe(ascii);
  });

  it('draws © and ® circled', () => {
    expect(foldText('© 2025 Us®')).toEqual([
      { kind: 'circled', char: 'c' },
      ...[...' 2025 Us'].map((char) => ({ kind: 'char', char })),
      { kind: 'circled', char: 'R' },
    ]);
  });

  it('drops accents and decomposes ligatures, ™, full-width letters and no-break spaces', () => {
    expect(shown(foldText('Café Ñandú ﬁne™ ＡＢ\u00a0Zoë'))).toBe('Cafe Nandu fineTM AB Zoe');
    // The same é, precomposed or as e + combining acute.
    expect(shown(foldText('e\u0301'))).toBe('e');
  });

  it('writes typographic quotes, dashes and bullets as their ASCII look-alikes', () => {
    expect(shown(foldText('“It’s” – «a» — ½ • 2×3'))).toBe('"It\'s" - "a" - 1/2 . 2x3');
  });

  it('draws one box per character of another script, emoji sequence or symbol', () => {
    // A family emoji is five code points joined into one character; a flag two regional indicators.
    expect(shown(foldText('写真 👨‍👩‍👧 🇫🇷 ❤️ ∞'))).toBe('□□ □ □ □ □');
  });

  it('drops invisible format characters on their own', () => {
    expect(shown(foldText('a\u200bb\u00adc'))).toBe('abc');
  });
});

describe('undrawableCharacters', () => {
  it('names each character drawn as a box once, and nothing for a drawable text', () => {
    expect(undrawableCharacters('写真 写 ∞ © Café')).toEqual(['写', '真', '∞']);
    expect(undrawableCharacters('© image-intel')).toEqual([]);
  });
});

describe('textWatermarkProblem', () => {
  it('has nothing to say of a text it draws', () => {
    expect(textWatermarkProblem('© Zoë Müller – 2025')).toBeUndefined();
  });

  it('names the characters it would draw as boxes', () => {
    expect(textWatermarkProblem('© 写真')).toBe(
      'the watermark font has no 写 真 and would draw them as empty boxes: it draws printable ASCII, © and ®, and ' +
        'Latin letters without their accents',
    );
  });

  it('says that a text of spaces and invisible characters draws nothing', () => {
    expect(textWatermarkProblem(' \u00a0\u200b ')).toBe('the text draws nothing');
  });
});
