/**
 * Text drawn as stroked SVG paths, with no font file: librsvg draws an SVG `<text>` with a system font through
 * fontconfig, and AWS Lambda's runtime has none, so a `<text>` there draws nothing or an empty box per character
 * (which of the two varies from run to run). The glyphs are the Hershey "Sans 1-stroke" font (`futural`) of the
 * `hersheytext` package (MIT): only its JSON data is imported, never its module, whose cheerio dependency would
 * otherwise enter the Lambda bundle; the named import lets esbuild keep this one font of the file's 23 (7 KB of
 * the render function's bundle).
 */
import { futural } from 'hersheytext/hersheytext.json';
import { foldText, type TextPiece } from './text-fold';

type Point = readonly [number, number];
/** Strokes in font units, each an open polyline. */
type Strokes = Point[][];

interface Glyph {
  strokes: Strokes;
  /** Horizontal advance in font units. */
  advance: number;
}

/**
 * The font's grid, in font units: capitals and ascenders from y = 1 down to the baseline at 22, descenders to 29;
 * brackets reach from -3 to 29. The line (ascender top to descender bottom) is what a text's height is measured on.
 */
const ASCENDER = 1;
const BASELINE = 22;
const DESCENDER = 29;
const LINE = DESCENDER - ASCENDER;
/**
 * Stroke widths in font units. The font is designed on a 21-unit cap height for a 1-unit pen; a 2.5-unit white
 * stroke reads as a bold face, and a dark outline 1 unit wide on each side keeps it legible on white.
 */
const STROKE = 2.5;
const OUTLINE = STROKE + 2;
/** Space added after every glyph: the font is spaced for a thin pen, and thick outlines would touch. */
const TRACKING = 1.5;
const SPACE_ADVANCE = 14;

/** Each glyph's `d` holds absolute `M x,y` and `L x,y x,y ...` commands only; `o` is half its advance. */
function parseGlyph(d: string): Strokes {
  const strokes: Strokes = [];
  for (const match of d.matchAll(/([ML])?\s*(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g)) {
    const point: Point = [Number(match[2]), Number(match[3])];
    const current = strokes[strokes.length - 1];
    if (match[1] === 'M' || !current) strokes.push([point]);
    else current.push(point);
  }
  return strokes;
}

const GLYPHS = new Map<string, Glyph>(
  futural.chars.map((glyph, index) => [
    // The font's characters start at '!' (33); the 95th, DEL, is a filled block no text reaches.
    String.fromCharCode(33 + index),
    { strokes: parseGlyph(glyph.d), advance: 2 * Number(glyph.o) },
  ]),
);
GLYPHS.set(' ', { strokes: [], advance: SPACE_ADVANCE });

const asciiGlyph = (char: string): Glyph => GLYPHS.get(char) ?? missingGlyph();

const transform = (strokes: Strokes, scale: number, [cx, cy]: Point, [tx, ty]: Point): Strokes =>
  strokes.map((stroke) => stroke.map(([x, y]): Point => [tx + (x - cx) * scale, ty + (y - cy) * scale]));

/** © and ®: the letter at 60 % in a circle as tall as the capitals, plus a unit above and below. */
function circledGlyph(char: 'c' | 'R'): Glyph {
  const radius = (BASELINE - ASCENDER) / 2 + 1;
  const centre: Point = [radius + 2, (ASCENDER + BASELINE) / 2];
  const circle: Point[] = Array.from({ length: 49 }, (_, i): Point => {
    const angle = (i / 48) * 2 * Math.PI;
    return [centre[0] + radius * Math.cos(angle), centre[1] + radius * Math.sin(angle)];
  });
  const letter = asciiGlyph(char).strokes;
  const [x0, y0, x1, y1] = bounds(letter);
  const inner = transform(letter, 0.6, [(x0 + x1) / 2, (y0 + y1) / 2], centre);
  return { strokes: [circle, ...inner], advance: 2 * radius + 4 };
}

/** An empty box the height of the capitals, as fonts draw a character they lack. */
function missingGlyph(): Glyph {
  const [left, right] = [2, 14];
  return {
    strokes: [
      [
        [left, ASCENDER],
        [right, ASCENDER],
        [right, BASELINE],
        [left, BASELINE],
        [left, ASCENDER],
      ],
    ],
    advance: right + left,
  };
}

function glyphOf(piece: TextPiece): Glyph {
  if (piece.kind === 'char') return asciiGlyph(piece.char);
  if (piece.kind === 'circled') return circledGlyph(piece.char);
  return missingGlyph();
}

/** [left, top, right, bottom] of the strokes' points. */
function bounds(strokes: Strokes): [number, number, number, number] {
  const points = strokes.flat();
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The strokes of `text` on one line from x = 0, in font units (see `foldText` for what is drawn of which character). */
export function layoutText(text: string): Strokes {
  const strokes: Strokes = [];
  let x = 0;
  for (const piece of foldText(text)) {
    const glyph = glyphOf(piece);
    strokes.push(...transform(glyph.strokes, 1, [0, 0], [x, 0]));
    x += glyph.advance + TRACKING;
  }
  return strokes;
}

export interface TextSvg {
  svg: Buffer;
  /** The SVG's pixel size: the drawn strokes, outline included, and half a pixel for antialiasing. */
  width: number;
  height: number;
}

/**
 * `text` as an SVG of stroked paths, white on a translucent dark outline, legible on any picture; no `<text>`
 * element, so no font is needed to draw it. Scaled so that the line (ascender top to descender bottom, outline
 * and antialiasing included) is `height` pixels, or smaller when the text would be wider than `maxWidth`: the
 * same letter size for any text of one output. The SVG is cut to the strokes (a text without descenders is
 * shorter than `height`) and never larger than `maxWidth` x `height`. Throws when the text draws nothing (spaces).
 */
export function textSvg(text: string, size: { height: number; maxWidth: number }): TextSvg {
  const strokes = layoutText(text);
  if (strokes.length === 0) throw new Error(`the text watermark '${text}' draws nothing`);
  const [x0, y0, x1, y1] = bounds(strokes);
  // A pixel of the box is kept for antialiasing (half on each side); brackets may reach beyond the line.
  const scaleFor = (pixels: number, units: number) => Math.max(0.5, pixels - 1) / (units + OUTLINE);
  const scale = Math.min(scaleFor(size.height, Math.max(LINE, y1 - y0)), scaleFor(size.maxWidth, x1 - x0));
  const pad = OUTLINE / 2 + 0.5 / scale;
  // Within the box by construction; the clamp only matters for boxes of a pixel or two, which clip.
  const width = Math.min(size.maxWidth, Math.max(1, Math.ceil((x1 - x0 + 2 * pad) * scale)));
  const height = Math.min(size.height, Math.max(1, Math.ceil((y1 - y0 + 2 * pad) * scale)));
  const d = strokes
    .map((stroke) => stroke.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(x)} ${round(y)}`).join(''))
    .join('');
  const group = `transform="matrix(${round(scale, 5)} 0 0 ${round(scale, 5)} ${round((pad - x0) * scale)} ${round((pad - y0) * scale)})"`;
  const pen = 'fill="none" stroke-linecap="round" stroke-linejoin="round"';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g ${group} ${pen}>` +
    `<path d="${d}" stroke="#000000" stroke-opacity="0.6" stroke-width="${OUTLINE}"/>` +
    `<path d="${d}" stroke="#ffffff" stroke-width="${STROKE}"/></g></svg>`;
  return { svg: Buffer.from(svg), width, height };
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
