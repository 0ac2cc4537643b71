import type { Raster } from '../core/analysis/raster';

/**
 * Longest side of the grid the statistics are taken on: enough for texture, cheap in plain JavaScript. A smaller
 * picture is enlarged to it (bilinear), so texture is measured at one scale relative to the picture: a 96 px avatar's
 * blurred lawn is as smooth as a 1024 px photo's.
 */
const GRID_SIDE = 256;
const DARK_LUMA = 64;
const BRIGHT_LUMA = 192;
/** Chroma (max channel minus min channel) from which a pixel has a colour a person would name. */
const COLOURED_CHROMA = 32;
/** Cells darker than this are left out of the colour measures: near black, every hue looks grey. */
const LIT_LUMA = 48;
/**
 * Hues (degrees) of leaves and grass, from yellow-green (dry grass, sunlit leaves) to blue-green; cyan (180) excluded.
 * Chosen with the chroma on bench/accuracy's tune half (bench/labels/evidence.ts).
 */
const GREEN_HUES = [50, 160] as const;
const GREEN_CHROMA = 16;
/**
 * Pale: luma above this and chroma under PALE_CHROMA, white or a faint tint. A studio cut-out's ground, a page and
 * snow are; a bright but coloured sky is not. Chosen on bench/accuracy's tune half (bench/labels/evidence.ts).
 */
const PALE_LUMA = 200;
const PALE_CHROMA = 45;
/** Luma standard deviation over a 3x3 neighbourhood from which a pixel is textured rather than a flat fill. */
const TEXTURED_STD = 6;

/** What the pixels say, for the colour and texture labels. Shares are 0-1, luma and chroma 0-255. */
export interface PictureStats {
  /** Mean Rec. 601 luma. */
  luma: number;
  /** Share of pixels darker than 64 / lighter than 192. */
  darkShare: number;
  brightShare: number;
  /** Share of pixels that are pale: luma above 200 and chroma under 45 (the white ground of a cut-out, a page, snow). */
  paleShare: number;
  /**
   * Mean chroma (max channel minus min channel) of the lit pixels (luma 48+; all of them if fewer than 1 % are lit),
   * and the share of those with a nameable colour (chroma 32+): a night sky's coloured stars count, its black does not.
   */
  chroma: number;
  colouredShare: number;
  /** Standard deviation of luma: how much contrast there is at all. */
  contrast: number;
  /**
   * Correlation of each cell's luma with its right or lower neighbour's (the stronger of the two): near 1 for anything
   * a camera or a person made, near 0 for noise, whose neighbours are independent.
   */
  coherence: number;
  /** Share of pixels that are leaf or grass green (hue 50-160°, chroma 16+). */
  greenShare: number;
  /** Share of pixels that are green and textured (their 3x3 neighbourhood varies), as foliage is and paint is not. */
  texturedGreenShare: number;
  /** Share of the picture's outermost cells that are pale: near 1 for a cut-out on white, near 0 for a scene. */
  borderPaleShare: number;
}

/** The raster averaged down to at most GRID_SIDE on its longest side: RGB and luma per cell. */
function grid(raster: Raster): { width: number; height: number; rgb: Float32Array; luma: Float32Array } {
  if (Math.max(raster.width, raster.height) < GRID_SIDE) return enlarged(raster);
  const step = Math.max(1, Math.ceil(Math.max(raster.width, raster.height) / GRID_SIDE));
  const width = Math.floor(raster.width / step) || 1;
  const height = Math.floor(raster.height / step) || 1;
  const rgb = new Float32Array(width * height * 3);
  const luma = new Float32Array(width * height);
  const { data } = raster;
  for (let gy = 0; gy < height; gy++) {
    for (let gx = 0; gx < width; gx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = gy * step; y < Math.min(raster.height, (gy + 1) * step); y++) {
        for (let x = gx * step; x < Math.min(raster.width, (gx + 1) * step); x++) {
          const i = (y * raster.width + x) * 3;
          r += data[i] as number;
          g += data[i + 1] as number;
          b += data[i + 2] as number;
          n++;
        }
      }
      const cell = gy * width + gx;
      rgb[cell * 3] = r / n;
      rgb[cell * 3 + 1] = g / n;
      rgb[cell * 3 + 2] = b / n;
      luma[cell] = (0.299 * r + 0.587 * g + 0.114 * b) / n;
    }
  }
  return { width, height, rgb, luma };
}

/** A picture smaller than the grid, enlarged to GRID_SIDE on its longest side by bilinear interpolation. */
function enlarged(raster: Raster): { width: number; height: number; rgb: Float32Array; luma: Float32Array } {
  const scale = GRID_SIDE / Math.max(raster.width, raster.height);
  const width = Math.max(1, Math.round(raster.width * scale));
  const height = Math.max(1, Math.round(raster.height * scale));
  const rgb = new Float32Array(width * height * 3);
  const luma = new Float32Array(width * height);
  const { data } = raster;
  const at = (x: number, y: number, c: number) => data[(y * raster.width + x) * 3 + c] as number;
  for (let y = 0; y < height; y++) {
    // Pixel centres aligned, as libvips and most resamplers do.
    const sy = Math.min(raster.height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(raster.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(raster.width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(raster.width - 1, x0 + 1);
      const fx = sx - x0;
      const cell = y * width + x;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx;
        const bottom = at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx;
        rgb[cell * 3 + c] = top * (1 - fy) + bottom * fy;
      }
      luma[cell] =
        0.299 * (rgb[cell * 3] as number) +
        0.587 * (rgb[cell * 3 + 1] as number) +
        0.114 * (rgb[cell * 3 + 2] as number);
    }
  }
  return { width, height, rgb, luma };
}

function hue(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const delta = max - Math.min(r, g, b);
  if (delta === 0) return 0;
  const h = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return (h * 60 + 360) % 360;
}

/** Correlation of luma with the neighbour `dx, dy` away; 0 when either side is flat. */
function neighbourCorrelation(luma: Float32Array, width: number, height: number, dx: number, dy: number): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let y = 0; y + dy < height; y++) {
    for (let x = 0; x + dx < width; x++) {
      const a = luma[y * width + x] as number;
      const b = luma[(y + dy) * width + x + dx] as number;
      n++;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
  }
  if (n === 0) return 0;
  const va = saa / n - (sa / n) ** 2;
  const vb = sbb / n - (sb / n) ** 2;
  // Variance under a hundredth of a grey level is a flat picture: nothing to correlate.
  if (va < 0.01 || vb < 0.01) return 0;
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt(va * vb);
}

/**
 * Colour, brightness and texture statistics of an RGB raster, taken on a grid of at most 256 cells a side (each
 * cell the mean of the pixels it covers). Pure: the same raster always gives the same numbers.
 */
export function pictureStats(raster: Raster): PictureStats {
  const { width, height, rgb, luma } = grid(raster);
  const cells = width * height;
  let lumaSum = 0;
  let lumaSquares = 0;
  let dark = 0;
  let bright = 0;
  let pale = 0;
  let border = 0;
  let borderPale = 0;
  let chromaSum = 0;
  let coloured = 0;
  let allChroma = 0;
  let allColoured = 0;
  let lit = 0;
  let green = 0;
  let texturedGreen = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = y * width + x;
      const l = luma[cell] as number;
      const r = rgb[cell * 3] as number;
      const g = rgb[cell * 3 + 1] as number;
      const b = rgb[cell * 3 + 2] as number;
      const chroma = Math.max(r, g, b) - Math.min(r, g, b);
      lumaSum += l;
      lumaSquares += l * l;
      if (l < DARK_LUMA) dark++;
      if (l > BRIGHT_LUMA) bright++;
      const isPale = l > PALE_LUMA && chroma < PALE_CHROMA;
      if (isPale) pale++;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) {
        border++;
        if (isPale) borderPale++;
      }
      allChroma += chroma;
      if (chroma >= COLOURED_CHROMA) allColoured++;
      if (l >= LIT_LUMA) {
        lit++;
        chromaSum += chroma;
        if (chroma >= COLOURED_CHROMA) coloured++;
      }
      const h = hue(r, g, b);
      if (chroma >= GREEN_CHROMA && h >= GREEN_HUES[0] && h <= GREEN_HUES[1]) {
        green++;
        if (localStd(luma, width, height, x, y) >= TEXTURED_STD) texturedGreen++;
      }
    }
  }
  const mean = lumaSum / cells;
  const coherence = Math.max(
    neighbourCorrelation(luma, width, height, 1, 0),
    neighbourCorrelation(luma, width, height, 0, 1),
  );
  const litEnough = lit >= cells / 100;
  return {
    luma: round(mean),
    darkShare: round(dark / cells),
    brightShare: round(bright / cells),
    paleShare: round(pale / cells),
    chroma: round(litEnough ? chromaSum / lit : allChroma / cells),
    colouredShare: round(litEnough ? coloured / lit : allColoured / cells),
    contrast: round(Math.sqrt(Math.max(0, lumaSquares / cells - mean * mean))),
    coherence: round(coherence),
    greenShare: round(green / cells),
    texturedGreenShare: round(texturedGreen / cells),
    borderPaleShare: round(borderPale / border),
  };
}

/** Standard deviation of luma over the 3x3 neighbourhood of a cell (clipped at the edges). */
function localStd(luma: Float32Array, width: number, height: number, x: number, y: number): number {
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (let yy = Math.max(0, y - 1); yy <= Math.min(height - 1, y + 1); yy++) {
    for (let xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
      const l = luma[yy * width + xx] as number;
      n++;
      sum += l;
      squares += l * l;
    }
  }
  return Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2));
}

const round = (n: number) => Math.round(n * 10000) / 10000;
