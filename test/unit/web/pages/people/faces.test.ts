import {
  countOf,
  faceCropStyle,
  paddedBox,
  personName,
  skippedInWords,
  thumbnailSideFor,
} from '../../../../../web/src/pages/people/faces';

/*
 * The words and face crops of the People page, a person's page and the detail page's chips
 * (web/src/pages/people/faces.ts).
 */

/** Where the crop puts the image's point (x, y) (fractions), in frame widths from the frame's left and middle. */
function placed(style: { width: string; transform: string }, aspect: number, x: number, y: number) {
  const scale = Number.parseFloat(style.width) / 100; // picture width in frame widths
  const [dx, dy] = [...style.transform.matchAll(/(-?[\d.]+)%/g)].map((m) => Number(m[1]) / 100);
  const pictureHeight = scale / aspect; // in frame widths
  return { x: scale * (x + (dx ?? 0)), y: pictureHeight * (y + (dy ?? 0)) };
}

describe('people in words', () => {
  it('calls a person without a name “Unnamed person”, and one with a name by it', () => {
    expect(personName(null)).toBe('Unnamed person');
    expect(personName('')).toBe('Unnamed person');
    expect(personName('Ada')).toBe('Ada');
  });

  it('counts in the singular for one and the plural otherwise', () => {
    expect(countOf(1, 'face')).toBe('1 face');
    expect(countOf(2, 'face')).toBe('2 faces');
    expect(countOf(0, 'person', 'people')).toBe('0 people');
  });

  const none = (skipped: { tooSmall: number; overCap: number }) => ({ faces: [], skipped });

  it('says the faces not grouped, and nothing for a zero', () => {
    expect(skippedInWords(none({ tooSmall: 0, overCap: 0 }), 0)).toEqual([]);
    expect(skippedInWords(none({ tooSmall: 2, overCap: 0 }), 2)).toEqual(['2 faces too small to recognise']);
    expect(skippedInWords(none({ tooSmall: 1, overCap: 150 }), 201)).toEqual([
      '1 face too small to recognise',
      '150 faces over the limit of faces grouped per image',
    ]);
  });

  it('leaves out a face too small to group once it is named (in a person, with its box), but not a drawn one', () => {
    const box = { left: 0.1, top: 0.1, width: 0.05, height: 0.05 };
    const skipped = { tooSmall: 1, overCap: 0 };
    // The photo's only face, too small, named: nothing is left to say.
    expect(skippedInWords({ faces: [{ face: 0, personId: 'P1', name: 'Ada', box }], skipped }, 1)).toEqual([]);
    // A grouped face (no box of its own) and a drawn one (past vision.faces) leave the too small one counted.
    const others = [
      { face: 0, personId: 'P1', name: 'Ada' },
      { face: 900, personId: 'P2', name: null, box },
    ];
    expect(skippedInWords({ faces: others, skipped }, 2)).toEqual(['1 face too small to recognise']);
  });
});

describe('a face’s crop', () => {
  const box = { left: 0.4, top: 0.2, width: 0.1, height: 0.15 };

  it('widens the box by a fifth on each side, inside the image', () => {
    const padded = paddedBox(box);
    expect(padded.left).toBeCloseTo(0.38);
    expect(padded.width).toBeCloseTo(0.14);
    expect(padded.top).toBeCloseTo(0.17);
    expect(padded.height).toBeCloseTo(0.21);
    const corner = paddedBox({ left: 0, top: 0.95, width: 0.2, height: 0.05 });
    expect(corner.left).toBe(0);
    expect(corner.top + corner.height).toBeCloseTo(1);
  });

  it.each([
    ['landscape', 3 / 2],
    ['portrait', 2 / 3],
  ])('puts the face’s padded edges at the frame’s sides and its middle at the frame’s middle (%s)', (_, aspect) => {
    const style = faceCropStyle(box);
    const padded = paddedBox(box);
    expect(placed(style, aspect, padded.left, 0).x).toBeCloseTo(0, 2);
    expect(placed(style, aspect, padded.left + padded.width, 0).x).toBeCloseTo(1, 2);
    expect(placed(style, aspect, 0, padded.top + padded.height / 2).y).toBeCloseTo(0, 2);
  });

  it('asks for a thumbnail big enough for the face to stay sharp on a 2x screen', () => {
    expect(thumbnailSideFor(box, 40)).toBe(572); // 80 px over 0.14 of the image
    expect(thumbnailSideFor({ left: 0, top: 0, width: 1, height: 1 }, 40)).toBe(80);
  });
});
