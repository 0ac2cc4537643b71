/*
 * The windows a photo is hashed over, apart from the hashing (window-hashes.ts), so a module that only names them (the
 * duplicates room's store, which every function running the trash's cleanups bundles) does not bundle sharp.
 */
/**
 * The windows a photo is hashed over for near-duplicates, each the part of the upright picture kept as `[left, top,
 * width, height]` in fractions: the whole, the middle 90 % and 80 % (a copy cropped evenly), and 90 % against each
 * edge (a copy cut on one side). A cropped copy's whole picture is then near one of its original's windows, or the
 * other way round (bench/duplicates: 61 % of the copies made there are found whole to whole at a distance of 8,
 * 95 % with these windows).
 */
export const WINDOWS = {
  whole: [0, 0, 1, 1],
  middle90: [0.05, 0.05, 0.9, 0.9],
  middle80: [0.1, 0.1, 0.8, 0.8],
  left90: [0, 0, 0.9, 1],
  right90: [0.1, 0, 0.9, 1],
  top90: [0, 0, 1, 0.9],
  bottom90: [0, 0.1, 1, 0.9],
} as const;

export type WindowName = keyof typeof WINDOWS;
export const WINDOW_NAMES = Object.keys(WINDOWS) as WindowName[];

/** A photo's perceptual hash over each window (16 hex characters each; `whole` is the record's `hashes.phash`). */
export type WindowHashes = Record<WindowName, string>;

/** `[left, top, width, height]` (fractions) of a `w` x `h` picture, in whole pixels inside it. */
export function windowRegion(
  w: number,
  h: number,
  [left, top, width, height]: readonly [number, number, number, number],
): { left: number; top: number; width: number; height: number } {
  const x = Math.floor(left * w);
  const y = Math.floor(top * h);
  return {
    left: x,
    top: y,
    width: Math.max(1, Math.min(w - x, Math.round(width * w))),
    height: Math.max(1, Math.min(h - y, Math.round(height * h))),
  };
}
