/**
 * DynamoDB's capacity arithmetic on real items, as AWS documents it (pure functions, no AWS calls):
 * item sizes, the write units a table write and each index write consume, and how an index's writes spread over
 * its partition key values.
 *
 * - Item size (developer guide, "Item sizes and formats"): attribute name bytes + value bytes; strings and binaries
 *   their UTF-8 / raw length; numbers about 1 byte per two significant digits + 1; booleans and nulls 1; lists and
 *   maps 3 bytes + their elements + 1 byte per element.
 * - A PutItem or UpdateItem consumes write units for the larger of the item before and after it, 1 per KB (rounded
 *   up); a strongly consistent read 1 unit per 4 KB, an eventually consistent one half that.
 * - A GSI write ("GSI.Writes"): an item that enters the index is 1 write, one that leaves it 1, one whose index key
 *   changes 2 (a delete and a put), one whose projected attributes change 1, and none if the index sees no change.
 *   Each costs write units for the size of the index entry (the table key, the index keys and the projection).
 */
import { isDeepStrictEqual } from 'node:util';

/** One DynamoDB attribute value in the wire format (`{ S: 'x' }`, `{ N: '12' }`, `{ M: {...} }`). */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string | Uint8Array;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
  BS?: (string | Uint8Array)[];
}
export type Item = Record<string, AttributeValue>;

/** How an index is keyed and what it projects: the shape of `TABLE_DESIGN.indexes`' entries. */
export interface IndexShape {
  indexName: string;
  partitionKey: string;
  sortKey?: string;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  nonKeyAttributes?: readonly string[];
}

export const WRITE_UNIT_BYTES = 1024;
export const READ_UNIT_BYTES = 4096;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
/** Binary values travel base64-encoded in JSON; their size is the raw length. */
const binaryLength = (value: string | Uint8Array) =>
  typeof value === 'string' ? Buffer.from(value, 'base64').length : value.length;

/** Bytes of a number: significant digits (leading and trailing zeros trimmed) / 2, rounded up, + 1. */
export function numberSize(value: string): number {
  const mantissa = value.trim().replace(/^[+-]/, '').split(/e/i)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Bytes of one value, without its name. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return binaryLength(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M !== undefined) {
    return 3 + Object.entries(value.M).reduce((sum, [name, inner]) => sum + utf8(name) + valueSize(inner) + 1, 0);
  }
  if (value.L !== undefined) return 3 + value.L.reduce((sum, inner) => sum + valueSize(inner) + 1, 0);
  if (value.SS !== undefined) return value.SS.reduce((sum, member) => sum + utf8(member), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, member) => sum + numberSize(member), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, member) => sum + binaryLength(member), 0);
  throw new Error(`unknown attribute value type: ${Object.keys(value).join(', ')}`);
}

/** Bytes of an item: every attribute's name and value. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** Write units for a write of this many bytes (1 per KB, at least 1). */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));

/** Read units for a read of this many bytes: 1 per 4 KB strongly consistent, half that eventually consistent. */
export const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES)) * (consistent ? 1 : 0.5);

/** A PutItem or UpdateItem: the larger of the item before (if any) and after. */
export function tableWriteUnits(before: Item | undefined, after: Item): number {
  return writeUnits(Math.max(before ? itemSize(before) : 0, itemSize(after)));
}

/**
 * The item's entry in an index (table key, index keys, projection), or undefined if it is not in the index.
 * `tableKey`: the table's key attribute, or both of a table with a sort key.
 */
export function indexEntry(
  item: Item | undefined,
  index: IndexShape,
  tableKey: string | readonly string[],
): Item | undefined {
  if (!item) return undefined;
  const keys = [index.partitionKey, ...(index.sortKey ? [index.sortKey] : [])];
  if (keys.some((name) => item[name] === undefined)) return undefined;
  if (index.projection === 'ALL') return item;
  const names = new Set([
    ...(typeof tableKey === 'string' ? [tableKey] : tableKey),
    ...keys,
    ...(index.projection === 'INCLUDE' ? (index.nonKeyAttributes ?? []) : []),
  ]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

/** One write an index makes because of a table write. */
export interface IndexWrite {
  kind: 'put' | 'delete' | 'update';
  /** The partition key value written under (as a string). */
  key: string;
  bytes: number;
  units: number;
}

const keyString = (value: AttributeValue | undefined) => value?.S ?? value?.N ?? JSON.stringify(value);

/** The writes one table write (item `before` -> `after`) causes in an index, per AWS's GSI write rules. */
export function indexWrites(
  before: Item | undefined,
  after: Item | undefined,
  index: IndexShape,
  tableKey: string | readonly string[],
): IndexWrite[] {
  const old = indexEntry(before, index, tableKey);
  const now = indexEntry(after, index, tableKey);
  const write = (kind: IndexWrite['kind'], entry: Item, bytes = itemSize(entry)): IndexWrite => ({
    kind,
    key: keyString(entry[index.partitionKey]),
    bytes,
    units: writeUnits(bytes),
  });
  if (!old && !now) return [];
  if (!old && now) return [write('put', now)];
  if (old && !now) return [write('delete', old)];
  const [a, b] = [old as Item, now as Item];
  const sameKey = [index.partitionKey, index.sortKey]
    .filter((name): name is string => name !== undefined)
    .every((name) => isDeepStrictEqual(a[name], b[name]));
  if (!sameKey) return [write('delete', a), write('put', b)];
  if (isDeepStrictEqual(a, b)) return [];
  return [write('update', b, Math.max(itemSize(a), itemSize(b)))];
}

/**
 * How a key attribute's values spread, from the values seen on `images` items and the design's shard count:
 * - `per-image`: (nearly) every image has its own value (`imageId`, `sha256`): no value gets a sustained rate;
 * - `sharded`: values `<group>#<n>`, n of `shards` per group (from the design, or the largest n seen + 1);
 * - `constant`: one value per group for every image (the old `entity = IMAGE`).
 */
export type KeySpread = { kind: 'per-image' } | { kind: 'sharded'; shards: number } | { kind: 'constant' };

export function keySpread(values: string[], images: number, designShards?: number): KeySpread {
  const distinct = new Set(values);
  const suffixes = [...distinct].map((value) => /#(\d+)$/.exec(value)?.[1]);
  if (suffixes.length > 0 && suffixes.every((suffix) => suffix !== undefined)) {
    const seen = Math.max(...suffixes.map(Number)) + 1;
    return { kind: 'sharded', shards: Math.max(designShards ?? 0, seen) };
  }
  if (images > 1 && distinct.size >= 0.9 * images) return { kind: 'per-image' };
  return { kind: 'constant' };
}

/** The group a key value belongs to: `PENDING#3` -> `PENDING`; an unsharded value is its own group. */
export const keyGroup = (value: string) => value.replace(/#\d+$/, '');

/** Key values one logical group spreads over (1 when constant, Infinity when every image has its own). */
export function valuesPerGroup(spread: KeySpread): number {
  if (spread.kind === 'per-image') return Number.POSITIVE_INFINITY;
  return spread.kind === 'sharded' ? spread.shards : 1;
}

/** One index's writes per image, measured on the run's items. */
export interface IndexFigures {
  indexName: string;
  partitionKey: string;
  /** In TABLE_DESIGN.indexes (true) or only in the old design, kept for contrast (false). */
  current: boolean;
  spread: KeySpread;
  writesPerImage: number;
  unitsPerImage: number;
  /** Bytes of an image's final entry in the index (for storage). */
  entryBytes: number;
  /** Write units per image on each group of key values (`PENDING`, `IMAGE`...). */
  groups: { group: string; unitsPerImage: number }[];
}

export interface DynamoFigures {
  /** Each table write of an image's life: the PENDING put, the finalise update, the event-flag clear. */
  writes: { name: string; beforeBytes: number; afterBytes: number; units: number }[];
  /** The processor's reads: the consistent GetItem of the PENDING item, the duplicate query (byOwnerSha256). */
  reads: { name: string; units: number }[];
  /** Bytes of the final item. */
  itemBytes: number;
  indexes: IndexFigures[];
}

/** The three states of an image's item: after the PENDING put, after the finalise update, after the flag clear. */
export interface ImageStates {
  pending: Item;
  finalised: Item;
  final: Item;
}

export interface TableShape {
  tableKey: string;
  indexes: IndexShape[];
  /** Indexes of an earlier design, simulated on the same items for contrast. */
  retired: IndexShape[];
  /** The design's shards per list-index group, when it says. */
  designShards?: number;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

/**
 * Write and read units per image (means over `images`) for the table and every index, from the items' states;
 * `queriesPerImage` index queries (the duplicate lookup: at most one small key, so half a read unit each).
 */
export function lifecycleFigures(images: ImageStates[], table: TableShape, queriesPerImage = 0): DynamoFigures {
  const steps = (s: ImageStates): [string, Item | undefined, Item][] => [
    ['PENDING put (POST /uploads)', undefined, s.pending],
    ['finalise update', s.pending, s.finalised],
    ['eventPending clear', s.finalised, s.final],
  ];
  const writes = steps(images[0] as ImageStates).map(([name], i) => {
    const per = images.map((s) => steps(s)[i] as [string, Item | undefined, Item]);
    return {
      name,
      beforeBytes: mean(per.map(([, before]) => (before ? itemSize(before) : 0))),
      afterBytes: mean(per.map(([, , after]) => itemSize(after))),
      units: mean(per.map(([, before, after]) => tableWriteUnits(before, after))),
    };
  });
  const shapes = [
    ...table.indexes.map((i) => ({ i, current: true })),
    ...table.retired.map((i) => ({ i, current: false })),
  ];
  const indexes = shapes.map(({ i: index, current }): IndexFigures => {
    const all = images.flatMap((s) =>
      steps(s).flatMap(([, before, after]) => indexWrites(before, after, index, table.tableKey)),
    );
    const groups = new Map<string, number>();
    for (const write of all) groups.set(keyGroup(write.key), (groups.get(keyGroup(write.key)) ?? 0) + write.units);
    const values = images.flatMap((s) =>
      [s.pending, s.final]
        .map((item) => item[index.partitionKey])
        .filter((v) => v !== undefined)
        .map((v) => keyString(v)),
    );
    const finalEntries = images.map((s) => indexEntry(s.final, index, table.tableKey));
    const spread = keySpread(values, images.length, table.designShards);
    const unitsPerImage = all.reduce((sum, w) => sum + w.units, 0) / images.length;
    return {
      indexName: index.indexName,
      partitionKey: index.partitionKey,
      current,
      spread,
      writesPerImage: all.length / images.length,
      unitsPerImage,
      entryBytes: mean(finalEntries.map((entry) => (entry ? itemSize(entry) : 0))),
      // Values of their own per image (a hash) form no group that grows with the rate: one line for all of them.
      groups:
        spread.kind === 'per-image'
          ? [{ group: index.partitionKey, unitsPerImage }]
          : [...groups].map(([group, units]) => ({ group, unitsPerImage: units / images.length })),
    };
  });
  return {
    writes,
    reads: [
      {
        name: 'GetItem, consistent (the PENDING item)',
        units: mean(images.map((s) => readUnits(itemSize(s.pending), true))),
      },
      { name: 'Query, eventually consistent (duplicate lookup)', units: queriesPerImage * readUnits(1, false) },
    ],
    itemBytes: mean(images.map((s) => itemSize(s.final))),
    indexes,
  };
}

/** The search index's postings per image (means over the images), each written by one put of the whole posting. */
export interface PostingFigures {
  /** Postings per image. */
  count: number;
  /** Write units of putting them: ceil(bytes / 1 KB) each. */
  units: number;
  /** Their bytes (by DynamoDB's size rules, without the per-item overhead). */
  bytes: number;
  /** Write units of the posting under `all`: the term every image of an owner shares (the hottest key values). */
  everyImageUnits: number;
}

/** Posting figures from each image's postings as read back from the search table. */
export function postingFigures(perImage: readonly Item[][]): PostingFigures {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const isEveryImage = (posting: Item) => /#all#\d+$/.test(posting.term?.S ?? '');
  return {
    count: mean(perImage.map((postings) => postings.length)),
    units: mean(perImage.map((postings) => postings.reduce((sum, p) => sum + writeUnits(itemSize(p)), 0))),
    bytes: mean(perImage.map((postings) => postings.reduce((sum, p) => sum + itemSize(p), 0))),
    everyImageUnits: mean(
      perImage.flatMap((postings) => postings.filter(isEveryImage).map((p) => writeUnits(itemSize(p)))),
    ),
  };
}
