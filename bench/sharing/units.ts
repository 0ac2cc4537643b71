/**
 * What one request's DynamoDB calls consume, from the calls as the proxy saw them and the items they touched (pure:
 * the caller reads the items from moto). DynamoDB's rules (bench/support/dynamodb.ts) plus two of its transactions:
 *
 * - Writes: each item a call writes costs the larger of its size before and after, 1 unit per KB; an item written in
 *   a `TransactWriteItems` costs twice that (DynamoDB prepares and commits each), a `ConditionCheck` too. Each index
 *   the write changes costs its own writes (a put, a delete, both when its key moved, an update when a projected
 *   attribute changed), at the ordinary rate: a transaction's changes reach the indexes after it commits.
 * - Reads: a `GetItem` 1 unit per 4 KB of the item (half when eventually consistent), a key with no item the minimum;
 *   a `BatchGetItem` the same for each key; a `Query` or `Scan` 1 per 4 KB of all the items it read, before any
 *   filter or projection, summed; a `TransactGetItems` twice a consistent read.
 */
import { type IndexShape, type Item, indexWrites, itemSize, readUnits, writeUnits } from '../support/dynamodb';

/** A table as DescribeTable gives it: its key attributes and its indexes. */
export interface TableShape {
  name: string;
  keys: readonly string[];
  indexes: readonly IndexShape[];
}

/** One item a write call writes. */
export interface ItemWrite {
  table: string;
  /** The item's key attributes (from the call's Key, or its Item's key attributes). */
  key: Item;
  kind: 'put' | 'update' | 'delete' | 'check';
  transactional: boolean;
}

/** One read a call makes: keys by name, or a query to read again. */
export interface ItemRead {
  api: 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'TransactGetItems';
  table: string;
  index?: string;
  consistent: boolean;
  /** GetItem, BatchGetItem and TransactGetItems: the keys asked for. */
  keys: Item[];
  /** Query and Scan: the request as sent. */
  request?: Record<string, unknown>;
}

type Body = Record<string, unknown>;
const isObject = (value: unknown): value is Body => typeof value === 'object' && value !== null;

/** The items a DynamoDB write call writes (none for any other call). */
export function writesOf(api: string, body: string, tables: ReadonlyMap<string, TableShape>): ItemWrite[] {
  const input = JSON.parse(body || '{}') as Body;
  const keyOf = (table: string, item: Item) => pick(item, tables.get(table)?.keys ?? Object.keys(item));
  const one = (request: Body, kind: ItemWrite['kind'], transactional: boolean): ItemWrite => {
    const table = String(request.TableName);
    const key = isObject(request.Key) ? (request.Key as Item) : keyOf(table, request.Item as Item);
    return { table, key, kind, transactional };
  };
  switch (api) {
    case 'PutItem':
      return [one(input, 'put', false)];
    case 'UpdateItem':
      return [one(input, 'update', false)];
    case 'DeleteItem':
      return [one(input, 'delete', false)];
    case 'BatchWriteItem':
      return Object.entries((input.RequestItems ?? {}) as Record<string, Body[]>).flatMap(([table, requests]) =>
        requests.map((request): ItemWrite => {
          const put = request.PutRequest as { Item: Item } | undefined;
          const del = request.DeleteRequest as { Key: Item } | undefined;
          return put
            ? { table, key: keyOf(table, put.Item), kind: 'put', transactional: false }
            : { table, key: del?.Key ?? {}, kind: 'delete', transactional: false };
        }),
      );
    case 'TransactWriteItems': {
      const kinds = { Put: 'put', Update: 'update', Delete: 'delete', ConditionCheck: 'check' } as const;
      return ((input.TransactItems ?? []) as Body[]).flatMap((action) =>
        Object.entries(kinds).flatMap(([name, kind]) =>
          isObject(action[name]) ? [one(action[name] as Body, kind, true)] : [],
        ),
      );
    }
    default:
      return [];
  }
}

/** The reads a DynamoDB read call makes (none for any other call). */
export function readsOf(api: string, body: string): ItemRead[] {
  const input = JSON.parse(body || '{}') as Body;
  switch (api) {
    case 'GetItem':
      return [
        {
          api,
          table: String(input.TableName),
          consistent: input.ConsistentRead === true,
          keys: [input.Key as Item],
        },
      ];
    case 'BatchGetItem':
      return Object.entries((input.RequestItems ?? {}) as Record<string, Body>).map(([table, asked]) => ({
        api,
        table,
        consistent: asked.ConsistentRead === true,
        keys: asked.Keys as Item[],
      }));
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as { Get: Body }[]).map(({ Get }) => ({
        api,
        table: String(Get.TableName),
        consistent: true,
        keys: [Get.Key as Item],
      }));
    case 'Query':
    case 'Scan':
      return [
        {
          api,
          table: String(input.TableName),
          ...(typeof input.IndexName === 'string' && { index: input.IndexName }),
          consistent: input.ConsistentRead === true,
          keys: [],
          request: input,
        },
      ];
    default:
      return [];
  }
}

/**
 * A Query or Scan to send again for what it read: no projection, no filter (a filter drops items after they were
 * read and paid for), no `Select`, and only the names and values its remaining expressions use.
 */
export function replayOf(request: Record<string, unknown>): Record<string, unknown> {
  const {
    ProjectionExpression: _projection,
    FilterExpression: _filter,
    Select: _select,
    ReturnConsumedCapacity: _capacity,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...rest
  } = request;
  const used = String(rest.KeyConditionExpression ?? '');
  const kept = (all: unknown) =>
    isObject(all) ? Object.fromEntries(Object.entries(all).filter(([token]) => used.includes(token))) : {};
  const keptNames = kept(names);
  const keptValues = kept(values);
  return {
    ...rest,
    ...(Object.keys(keptNames).length > 0 && { ExpressionAttributeNames: keptNames }),
    ...(Object.keys(keptValues).length > 0 && { ExpressionAttributeValues: keptValues }),
  };
}

/** A stable name for an item's key, to match one item across snapshots. */
export function keyName(table: string, key: Item): string {
  return `${table}|${JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)))}`;
}

/** Write units of one request, split by where they were spent. */
export interface WriteFigures {
  /** Items written (a transaction's ConditionCheck counted too). */
  items: number;
  /** Of those, in a transaction. */
  transactional: number;
  tableUnits: number;
  indexWrites: number;
  indexUnits: number;
  /** Units per `table` and per `table/index`. */
  byPlace: Record<string, number>;
}

/**
 * Write units of a request's writes, from each written item as it was before the request and after it. An item
 * written twice in one request is charged twice at the larger of those sizes (its size in between is not seen).
 */
export function writeFigures(
  writes: readonly ItemWrite[],
  tables: ReadonlyMap<string, TableShape>,
  before: (table: string, key: Item) => Item | undefined,
  after: (table: string, key: Item) => Item | undefined,
): WriteFigures {
  const figures: WriteFigures = {
    items: 0,
    transactional: 0,
    tableUnits: 0,
    indexWrites: 0,
    indexUnits: 0,
    byPlace: {},
  };
  const add = (place: string, units: number) => {
    figures.byPlace[place] = (figures.byPlace[place] ?? 0) + units;
  };
  const indexed = new Set<string>();
  for (const write of writes) {
    const [was, now] = [before(write.table, write.key), after(write.table, write.key)];
    const bytes = Math.max(was ? itemSize(was) : 0, now ? itemSize(now) : 0);
    const units = writeUnits(bytes) * (write.transactional ? 2 : 1);
    figures.items += 1;
    if (write.transactional) figures.transactional += 1;
    figures.tableUnits += units;
    add(write.table, units);
    // An item's index writes follow its change over the request, once however often it was written.
    const name = keyName(write.table, write.key);
    if (write.kind === 'check' || indexed.has(name)) continue;
    indexed.add(name);
    const shape = tables.get(write.table);
    for (const index of shape?.indexes ?? []) {
      for (const indexWrite of indexWrites(was, now, index, shape?.keys ?? [])) {
        figures.indexWrites += 1;
        figures.indexUnits += indexWrite.units;
        add(`${write.table}/${index.indexName}`, indexWrite.units);
      }
    }
  }
  return figures;
}

/**
 * Read units of one read: `sizes` are the bytes of each item a key found (undefined: none) for a read by key, or
 * of every item a Query or Scan read.
 */
export function readFigure(read: Pick<ItemRead, 'api' | 'consistent'>, sizes: readonly (number | undefined)[]): number {
  if (read.api === 'Query' || read.api === 'Scan') {
    return readUnits(
      sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0),
      read.consistent,
    );
  }
  const each = (size: number | undefined) => readUnits(size ?? 0, read.api === 'TransactGetItems' || read.consistent);
  const factor = read.api === 'TransactGetItems' ? 2 : 1;
  return sizes.reduce<number>((sum, size) => sum + factor * each(size), 0);
}

function pick(item: Item, names: readonly string[]): Item {
  return Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]])) as Item;
}
