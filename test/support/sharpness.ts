import sharp from 'sharp';

/**
 * How much fine detail a picture has: the variance of the 4-neighbour Laplacian of its grey pixels, at `width` px
 * wide when given (so two pictures of one image at different sizes compare). A blurred one has far less.
 */
export async function laplacianVariance(image: Buffer, width?: number): Promise<number> {
  const pipeline = width === undefined ? sharp(image) : sharp(image).resize({ width });
  const { data, info } = await pipeline.greyscale().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  let squares = 0;
  let n = 0;
  for (let y = 1; y < info.height - 1; y++) {
    for (let x = 1; x < info.width - 1; x++) {
      const at = (dx: number, dy: number) => data[(y + dy) * info.width + x + dx] as number;
      const value = at(-1, 0) + at(1, 0) + at(0, -1) + at(0, 1) - 4 * at(0, 0);
      sum += value;
      squares += value * value;
      n++;
    }
  }
  return squares / n - (sum / n) ** 2;
}
