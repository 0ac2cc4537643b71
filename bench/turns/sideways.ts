import sharp from 'sharp';

/**
 * A photo as a camera without an orientation sensor, or a tool that drops EXIF, would store it sideways: turned 90
 * degrees clockwise, with no metadata (so no EXIF orientation), as a lossless PNG so that only the pipeline's own
 * thumbnail is lossy. The turn that puts it upright again is 270.
 */
export const sideways = (bytes: Buffer): Promise<Buffer> => sharp(bytes).rotate(90).png().toBuffer();
export const UPRIGHT_AGAIN = 270;
