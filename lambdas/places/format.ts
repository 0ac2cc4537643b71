/**
 * The places data file (lambdas/places/data/places.bin), written by data/make.ts and read by open.ts. Little-endian:
 *
 *   "IIPL", u32 format version, u32 n, n bytes of JSON { data, features: [[country code, country, region,
 *   region code, area, area code], ...] } ('' where a level or code is missing)
 *   polygons: per feature, varint polygon count; per polygon, varint ring count; per ring, varint vertex count and
 *     its vertices as zigzag varint deltas of longitude then latitude in 1e-4 degrees, continuing from the last one
 *   localities: varint count, varint n and n bytes of their names joined by "\n", then per locality, grouped by
 *     feature: varint feature step, GeoNames id, population, zigzag varint deltas of longitude and latitude
 *
 * Plain varints rather than gzip: the Lambda asset and git compress the file anyway, and it stays byte-for-byte the
 * same whatever zlib a machine has.
 */

/** The data's version, written on every place it names (`Place.data`, at most 40 characters). */
export const PLACES_DATA = 'ne10m-admin1-gp1.0.8+gn1000-atc3.1.0/1';
export const FORMAT_VERSION = 1;
const MAGIC = 'IIPL';
/** Coordinates are integers in 1e-5 degrees (about 1.1 m): GeoNames' own precision. */
export const SCALE = 1e5;
/**
 * Polygon vertices are stored in steps of 10 units (1e-4 degrees, 11 m): NE 10m is drawn for 1:10,000,000, so
 * nothing finer is there to keep, and a border two features share stays shared. It halves the file.
 */
export const POLYGON_STEP = 10;

/** [name, code] of each level; '' where there is none. */
export interface FeatureNames {
  country: [code: string, name: string];
  region: [name: string, code: string];
  area: [name: string, code: string];
}

export interface FeatureSource {
  names: FeatureNames;
  /** Polygons of rings of interleaved lon, lat in 1e-5 degrees. */
  polygons: number[][][];
}

export interface LocalitySource {
  id: number;
  name: string;
  country: string;
  population: number;
  /** 1e-5 degrees. */
  lon: number;
  lat: number;
  /** The feature that holds it (or the nearest), set by encodePlaces' caller; -1 for none. */
  feature?: number;
}

/** The decoded file: flat typed arrays, so a lookup allocates nothing. */
export interface PlacesData {
  data: string;
  features: FeatureNames[];
  /** Interleaved lon, lat of every vertex. */
  coords: Int32Array;
  /** Per ring, its first vertex; one more entry at the end. */
  ringStart: Int32Array;
  /** Per polygon, its first ring; one more entry at the end. */
  polygonRing: Int32Array;
  /** Per polygon, its feature. */
  polygonFeature: Int32Array;
  /** Per feature, its first locality (localities are grouped by feature); one more entry for those in none. */
  featureLocality: Int32Array;
  localityName: string[];
  localityId: Uint32Array;
  localityPopulation: Uint32Array;
  localityLon: Int32Array;
  localityLat: Int32Array;
}

class Writer {
  private chunks: Buffer[] = [];
  private bytes: number[] = [];
  varint(value: number): void {
    let n = value;
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
    if (this.bytes.length > 65536) this.flush();
  }
  signed(value: number): void {
    this.varint(value < 0 ? -2 * value - 1 : 2 * value);
  }
  raw(buffer: Buffer): void {
    this.flush();
    this.chunks.push(buffer);
  }
  private flush(): void {
    this.chunks.push(Buffer.from(this.bytes));
    this.bytes = [];
  }
  finish(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }
}

function counts(features: readonly FeatureSource[]): [polygons: number, rings: number, vertices: number] {
  let polygons = 0;
  let rings = 0;
  let vertices = 0;
  for (const feature of features) {
    polygons += feature.polygons.length;
    for (const polygon of feature.polygons) {
      rings += polygon.length;
      for (const ring of polygon) vertices += ring.length / 2;
    }
  }
  return [polygons, rings, vertices];
}

/** The file's bytes. Localities without a `feature` go to the group of none. */
export function encodePlaces(features: readonly FeatureSource[], localities: readonly LocalitySource[]): Buffer {
  const w = new Writer();
  const meta = Buffer.from(
    JSON.stringify({
      data: PLACES_DATA,
      // So the reader can size its arrays before it reads them.
      counts: counts(features),
      features: features.map(({ names }) => [...names.country, ...names.region, ...names.area]),
    }),
  );
  const head = Buffer.alloc(12);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(FORMAT_VERSION, 4);
  head.writeUInt32LE(meta.length, 8);
  w.raw(head);
  w.raw(meta);
  let lon = 0;
  let lat = 0;
  for (const { polygons } of features) {
    w.varint(polygons.length);
    for (const rings of polygons) {
      w.varint(rings.length);
      for (const ring of rings) {
        w.varint(ring.length / 2);
        for (let i = 0; i < ring.length; i += 2) {
          const x = Math.round((ring[i] as number) / POLYGON_STEP);
          const y = Math.round((ring[i + 1] as number) / POLYGON_STEP);
          w.signed(x - lon);
          w.signed(y - lat);
          lon = x;
          lat = y;
        }
      }
    }
  }
  const none = features.length;
  const sorted = [...localities]
    .map((l) => ({ ...l, feature: l.feature === undefined || l.feature < 0 ? none : l.feature }))
    .sort((a, b) => a.feature - b.feature || a.id - b.id);
  w.varint(sorted.length);
  const names = Buffer.from(sorted.map((l) => l.name.replace(/\n/g, ' ')).join('\n'));
  w.varint(names.length);
  w.raw(names);
  let feature = 0;
  lon = 0;
  lat = 0;
  for (const l of sorted) {
    w.varint(l.feature - feature);
    w.varint(l.id);
    w.varint(l.population);
    w.signed(l.lon - lon);
    w.signed(l.lat - lat);
    feature = l.feature;
    lon = l.lon;
    lat = l.lat;
  }
  return w.finish();
}

/** Reads the file's header alone: its format version and data version. */
export function headerOf(bytes: Buffer): {
  format: number;
  data: string;
  counts: [polygons: number, rings: number, vertices: number];
  features: FeatureNames[];
} {
  if (bytes.toString('latin1', 0, 4) !== MAGIC) throw new Error('places data: not a places file');
  const format = bytes.readUInt32LE(4);
  if (format !== FORMAT_VERSION) throw new Error(`places data: format ${format}, expected ${FORMAT_VERSION}`);
  const meta = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8))) as {
    data: string;
    counts: [number, number, number];
    features: string[][];
  };
  const features = meta.features.map(
    ([code = '', country = '', region = '', regionCode = '', area = '', areaCode = '']) =>
      ({ country: [code, country], region: [region, regionCode], area: [area, areaCode] }) as FeatureNames,
  );
  return { format, data: meta.data, counts: meta.counts, features };
}

/** Decodes the whole file into typed arrays. */
export function decodePlaces(bytes: Buffer): PlacesData {
  const { data, features, counts } = headerOf(bytes);
  let at = 12 + bytes.readUInt32LE(8);
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  const signed = () => {
    const n = varint();
    return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  };
  const coords = new Int32Array(2 * counts[2]);
  const ringStart = new Int32Array(counts[1] + 1);
  const polygonRing = new Int32Array(counts[0] + 1);
  const polygonFeature = new Int32Array(counts[0]);
  let lon = 0;
  let lat = 0;
  let polygon = 0;
  let ring = 0;
  let vertex = 0;
  for (let f = 0; f < features.length; f++) {
    const polygons = varint();
    for (let p = 0; p < polygons; p++) {
      polygonRing[polygon] = ring;
      polygonFeature[polygon++] = f;
      const rings = varint();
      for (let r = 0; r < rings; r++) {
        ringStart[ring++] = vertex;
        const vertices = varint();
        for (let v = 0; v < vertices; v++) {
          lon += signed();
          lat += signed();
          coords[2 * vertex] = lon * POLYGON_STEP;
          coords[2 * vertex++ + 1] = lat * POLYGON_STEP;
        }
      }
    }
  }
  ringStart[ring] = vertex;
  polygonRing[polygon] = ring;
  const count = varint();
  const namesLength = varint();
  const localityName = bytes.toString('utf8', at, at + namesLength).split('\n');
  at += namesLength;
  const featureLocality = new Int32Array(features.length + 2);
  const localityId = new Uint32Array(count);
  const localityPopulation = new Uint32Array(count);
  const localityLon = new Int32Array(count);
  const localityLat = new Int32Array(count);
  let feature = 0;
  lon = 0;
  lat = 0;
  for (let i = 0; i < count; i++) {
    const step = varint();
    for (let f = feature + 1; f <= feature + step; f++) featureLocality[f] = i;
    feature += step;
    localityId[i] = varint();
    localityPopulation[i] = varint();
    lon += signed();
    lat += signed();
    localityLon[i] = lon;
    localityLat[i] = lat;
  }
  for (let f = feature + 1; f < featureLocality.length; f++) featureLocality[f] = count;
  return {
    data,
    features,
    coords,
    ringStart,
    polygonRing,
    polygonFeature,
    featureLocality,
    localityName,
    localityId,
    localityPopulation,
    localityLon,
    localityLat,
  };
}
