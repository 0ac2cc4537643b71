import type { Raster } from '../core/analysis/raster';
import { type Box, clampBox } from '../core/vision-schema';

/** A text line as a rotated rectangle in raster pixels: centre, length along the line, thickness, angle. */
export interface Region {
  cx: number;
  cy: number;
  length: number;
  thickness: number;
  /** Radians, image coordinates (y down): positive slopes down to the right. */
  angle: number;
}

/** 4-connected regions of the map above `threshold`, with their pixels and mean probability. */
export function components(map: Float32Array, width: number, height: number, threshold: number) {
  const seen = new Uint8Array(width * height);
  const found: { pixels: number[]; score: number }[] = [];
  const visit = (q: number, pixels: number[]) => {
    if (!seen[q] && (map[q] as number) > threshold) {
      seen[q] = 1;
      pixels.push(q);
    }
  };
  for (let start = 0; start < map.length; start++) {
    if (seen[start] || (map[start] as number) <= threshold) continue;
    const pixels = [start];
    seen[start] = 1;
    let sum = 0;
    for (let i = 0; i < pixels.length; i++) {
      const p = pixels[i] as number;
      const x = p % width;
      sum += map[p] as number;
      if (x > 0) visit(p - 1, pixels);
      if (x < width - 1) visit(p + 1, pixels);
      if (p >= width) visit(p - width, pixels);
      if (p < map.length - width) visit(p + width, pixels);
    }
    found.push({ pixels, score: sum / pixels.length });
  }
  return found;
}

/** The rectangle along a region's principal axis (from its second moments) that holds all its pixels. */
export function orientedRectangle(pixels: number[], width: number) {
  let mx = 0;
  let my = 0;
  for (const p of pixels) {
    mx += (p % width) + 0.5;
    my += Math.floor(p / width) + 0.5;
  }
  mx /= pixels.length;
  my /= pixels.length;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (const p of pixels) {
    const dx = (p % width) + 0.5 - mx;
    const dy = Math.floor(p / width) + 0.5 - my;
    xx += dx * dx;
    yy += dy * dy;
    xy += dx * dy;
  }
  const angle = 0.5 * Math.atan2(2 * xy, xx - yy);
  const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
  let [minU, maxU, minV, maxV] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of pixels) {
    const dx = (p % width) + 0.5 - mx;
    const dy = Math.floor(p / width) + 0.5 - my;
    const u = dx * ux + dy * uy;
    const v = -dx * uy + dy * ux;
    [minU, maxU, minV, maxV] = [Math.min(minU, u), Math.max(maxU, u), Math.min(minV, v), Math.max(maxV, v)];
  }
  const midU = (minU + maxU) / 2;
  const midV = (minV + maxV) / 2;
  return {
    cx: mx + midU * ux - midV * uy,
    cy: my + midU * uy + midV * ux,
    length: maxU - minU + 1,
    thickness: maxV - minV + 1,
    angle,
  };
}

/** The axis-aligned box around a region, as fractions of the raster. */
export function boundingBox(region: Region, raster: Raster): Box {
  const halfW =
    (Math.abs(Math.cos(region.angle)) * region.length + Math.abs(Math.sin(region.angle)) * region.thickness) / 2;
  const halfH =
    (Math.abs(Math.sin(region.angle)) * region.length + Math.abs(Math.cos(region.angle)) * region.thickness) / 2;
  return clampBox({
    left: (region.cx - halfW) / raster.width,
    top: (region.cy - halfH) / raster.height,
    width: (2 * halfW) / raster.width,
    height: (2 * halfH) / raster.height,
  });
}
