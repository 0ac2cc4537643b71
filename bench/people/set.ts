/**
 * The labelled set the face descriptors (and the grouping built on them) are measured on.
 *
 * No freely licensed set with several genuine photos of the same people can be had on this machine (scikit-image,
 * opencv-doc, dlib's data, face-api's and human's demos were searched), so this is AUGMENTED COPIES: each
 * distinct person's one photo, as it is and in copies that change what a second photo would (framing, size,
 * rotation, mirror, compression, exposure, focus). A pair of copies of one photo is an easier match than two
 * photos taken on different days: recall here is an upper bound, and precision rests on few distinct people.
 *
 * The people (test/fixtures/vision/README.md says where each photo comes from):
 * - `astronaut`: Eileen Collins (NASA, public domain), scikit-image's `astronaut`;
 * - `hopper`: Grace Hopper (U.S. Navy, public domain), matplotlib's `grace_hopper.jpg`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeRaster } from '../../lambdas/core/analysis/raster';
import { describeFaces } from '../../lambdas/vision/face-descriptor';
import { detectFaceKeypoints } from '../../lambdas/vision/faces';

const FIXTURES = path.join(__dirname, '../../test/fixtures/vision');

/** Each person's photo, by label. */
export const PEOPLE: Readonly<Record<string, string>> = {
  astronaut: 'person-astronaut.jpg',
  hopper: 'person-hopper.jpg',
};

/** Longest side the vision function decodes to (its MAX_SIDE): the copies are analysed as a thumbnail would be. */
const ANALYSED_SIDE = 1024;

type Copy = (image: sharp.Sharp, size: { width: number; height: number }) => sharp.Sharp;
const rotate =
  (degrees: number): Copy =>
  (image) =>
    image.rotate(degrees, { background: '#000' });
const scale =
  (factor: number): Copy =>
  (image, { width }) =>
    image.resize(Math.round(width * factor));
/** Keep `keep` of the frame from (`left`, `top`), in fractions: a different framing of the same shot. */
const crop =
  (left: number, top: number, keep: number): Copy =>
  (image, { width, height }) =>
    image.extract({
      left: Math.round(width * left),
      top: Math.round(height * top),
      width: Math.round(width * keep),
      height: Math.round(height * keep),
    });

/** How each copy is made from the photo. */
export const COPIES: Readonly<Record<string, Copy>> = {
  original: (image) => image,
  'crop-top-left': crop(0, 0, 0.8),
  'crop-centre': crop(0.15, 0.1, 0.7),
  'scale-0.6': scale(0.6),
  'scale-1.8': scale(1.8),
  'rotate+10': rotate(10),
  'rotate-10': rotate(-10),
  'rotate+20': rotate(20),
  mirror: (image) => image.flop(),
  'jpeg-q20': (image) => image.jpeg({ quality: 20 }),
  'darker-0.5': (image) => image.linear(0.5, 0),
  'brighter-1.4': (image) => image.linear(1.4, 20),
  'gamma-2': (image) => image.gamma(2.2, 1.2),
  'blur-1.5': (image) => image.blur(1.5),
  'blur-3': (image) => image.blur(3),
};

/** One copy's face: whose it is, which copy, and its descriptor (undefined when no face was described). */
export interface LabelledDescriptor {
  person: string;
  copy: string;
  descriptor?: number[];
  /** Eye distance class the face was described at is not kept; the box says how large it was. */
  faceWidthPx?: number;
}

/** The bytes of one copy of one person's photo (a JPEG q95 unless the copy is the JPEG one). */
export async function copyOf(person: string, copy: string): Promise<Buffer> {
  const file = PEOPLE[person];
  const make = COPIES[copy];
  if (!file || !make) throw new Error(`no ${copy} copy of ${person}`);
  const bytes = readFileSync(path.join(FIXTURES, file));
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const made = make(sharp(bytes), { width, height });
  return copy === 'jpeg-q20' ? made.toBuffer() : made.jpeg({ quality: 95 }).toBuffer();
}

/**
 * Every copy of every person as the vision function would describe it: decoded to at most 1024 px, faces found
 * by BlazeFace, the strongest face described. For bench/people and the grouping's evaluation.
 */
export async function labelledDescriptors(): Promise<LabelledDescriptor[]> {
  const out: LabelledDescriptor[] = [];
  for (const person of Object.keys(PEOPLE)) {
    for (const copy of Object.keys(COPIES)) {
      const raster = await decodeRaster(await copyOf(person, copy), ANALYSED_SIDE);
      const faces = await detectFaceKeypoints(raster);
      const { faces: described } = await describeFaces(raster, faces.slice(0, 1));
      const [face] = described;
      out.push({
        person,
        copy,
        descriptor: face?.descriptor,
        faceWidthPx: face ? Math.round(face.box.width * raster.width) : undefined,
      });
    }
  }
  return out;
}
