import { type PlacesData, SCALE } from './format';

/** Metres per 1e-5 degree of latitude (and of longitude at the equator). */
export const METRES_PER_UNIT = (6_371_008.8 * Math.PI) / 180 / SCALE;
const CELL = SCALE; // one degree
const COLUMNS = 360;
const ROWS = 180;

/**
 * A one-degree grid over the polygons' bounding boxes: each cell lists the polygons whose box touches it, so a
 * lookup tests the few polygons near the point (a handful; a few dozen on a crowded border) and no others.
 */
export interface PolygonIndex {
  readonly places: PlacesData;
  /** Per polygon, its box: min lon, min lat, max lon, max lat. */
  readonly boxes: Int32Array;
  /** Per cell, where its polygons start in `items`; one more entry at the end. */
  readonly cellStart: Int32Array;
  readonly items: Int32Array;
}

const column = (x: number) => Math.min(COLUMNS - 1, Math.max(0, Math.floor(x / CELL) + 180));
const row = (y: number) => Math.min(ROWS - 1, Math.max(0, Math.floor(y / CELL) + 90));

export function indexPolygons(places: PlacesData): PolygonIndex {
  const { coords, ringStart, polygonRing } = places;
  const polygons = polygonRing.length - 1;
  const boxes = new Int32Array(polygons * 4);
  const counts = new Int32Array(COLUMNS * ROWS + 1);
  for (let p = 0; p < polygons; p++) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    // The outer ring (the first) bounds the holes.
    for (
      let v = ringStart[polygonRing[p] as number] as number;
      v < (ringStart[(polygonRing[p] as number) + 1] as number);
      v++
    ) {
      const x = coords[2 * v] as number;
      const y = coords[2 * v + 1] as number;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    boxes[4 * p] = minX;
    boxes[4 * p + 1] = minY;
    boxes[4 * p + 2] = maxX;
    boxes[4 * p + 3] = maxY;
    for (let r = row(minY); r <= row(maxY); r++) {
      for (let c = column(minX); c <= column(maxX); c++) (counts[r * COLUMNS + c + 1] as number)++;
    }
  }
  for (let i = 1; i < counts.length; i++) counts[i] = (counts[i] as number) + (counts[i - 1] as number);
  const items = new Int32Array(counts[counts.length - 1] as number);
  const fill = counts.slice();
  for (let p = 0; p < polygons; p++) {
    const [minX, minY, maxX, maxY] = boxes.subarray(4 * p, 4 * p + 4) as unknown as number[];
    for (let r = row(minY as number); r <= row(maxY as number); r++) {
      for (let c = column(minX as number); c <= column(maxX as number); c++)
        items[(fill[r * COLUMNS + c] as number)++] = p;
    }
  }
  return { places, boxes, cellStart: counts, items };
}

/** Even-odd ray casting over every ring of the polygon: inside its outer ring and in none of its holes. */
function polygonHolds(index: PolygonIndex, p: number, x: number, y: number): boolean {
  const { coords, ringStart, polygonRing } = index.places;
  let inside = false;
  for (let r = polygonRing[p] as number; r < (polygonRing[p + 1] as number); r++) {
    const first = ringStart[r] as number;
    const last = (ringStart[r + 1] as number) - 1;
    let j = last;
    for (let i = first; i <= last; j = i++) {
      const yi = coords[2 * i + 1] as number;
      const yj = coords[2 * j + 1] as number;
      if (yi > y !== yj > y) {
        const xi = coords[2 * i] as number;
        const xj = coords[2 * j] as number;
        if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** The feature whose polygon holds the point (x, y in 1e-5 degrees), or -1. */
export function featureAt(index: PolygonIndex, x: number, y: number): number {
  const cell = row(y) * COLUMNS + column(x);
  const { boxes, items } = index;
  for (let k = index.cellStart[cell] as number; k < (index.cellStart[cell + 1] as number); k++) {
    const p = items[k] as number;
    if (x < (boxes[4 * p] as number) || x > (boxes[4 * p + 2] as number)) continue;
    if (y < (boxes[4 * p + 1] as number) || y > (boxes[4 * p + 3] as number)) continue;
    if (polygonHolds(index, p, x, y)) return index.places.polygonFeature[p] as number;
  }
  return -1;
}

/**
 * The feature whose boundary is nearest the point, if within `bound` metres, else -1: for a point just off a coast
 * (or off NE's coarse one). Distances on a local equirectangular projection, which is exact enough at this range.
 */
export function nearestFeature(
  index: PolygonIndex,
  x: number,
  y: number,
  bound: number,
  accept: (feature: number) => boolean = () => true,
): { feature: number; metres: number } {
  const { coords, ringStart, polygonRing, polygonFeature } = index.places;
  const { boxes, items, cellStart } = index;
  const k = Math.cos((y / SCALE) * (Math.PI / 180));
  const reachY = bound / METRES_PER_UNIT;
  const reachX = Math.min(180 * SCALE, reachY / Math.max(k, 0.01));
  let best = -1;
  let bestD2 = (bound / METRES_PER_UNIT) ** 2;
  const seen = new Set<number>();
  for (let r = row(y - reachY); r <= row(y + reachY); r++) {
    for (let c = column(x - reachX); c <= column(x + reachX); c++) {
      const cell = r * COLUMNS + c;
      for (let n = cellStart[cell] as number; n < (cellStart[cell + 1] as number); n++) {
        const p = items[n] as number;
        if (seen.has(p) || !accept(polygonFeature[p] as number)) continue;
        seen.add(p);
        if (x < (boxes[4 * p] as number) - reachX || x > (boxes[4 * p + 2] as number) + reachX) continue;
        if (y < (boxes[4 * p + 1] as number) - reachY || y > (boxes[4 * p + 3] as number) + reachY) continue;
        for (let ring = polygonRing[p] as number; ring < (polygonRing[p + 1] as number); ring++) {
          for (let i = ringStart[ring] as number; i < (ringStart[ring + 1] as number) - 1; i++) {
            const ax = ((coords[2 * i] as number) - x) * k;
            const ay = (coords[2 * i + 1] as number) - y;
            const bx = ((coords[2 * i + 2] as number) - x) * k;
            const by = (coords[2 * i + 3] as number) - y;
            const dx = bx - ax;
            const dy = by - ay;
            const length2 = dx * dx + dy * dy;
            const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2));
            const px = ax + t * dx;
            const py = ay + t * dy;
            const d2 = px * px + py * py;
            if (d2 < bestD2) {
              bestD2 = d2;
              best = polygonFeature[p] as number;
            }
          }
        }
      }
    }
  }
  return { feature: best, metres: Math.sqrt(bestD2) * METRES_PER_UNIT };
}
