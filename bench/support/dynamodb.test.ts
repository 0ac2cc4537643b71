import {
  type ImageStates,
  type IndexShape,
  type Item,
  indexWrites,
  itemSize,
  keySpread,
  lifecycleFigures,
  numberSize,
  postingFigures,
  readUnits,
  tableWriteUnits,
  valueSize,
  writeUnits,
} from './dynamodb';

const byStatus: IndexShape = {
  indexName: 'byStatusSharded',
  partitionKey: 'statusShard',
  sortKey: 'imageId',
  projection: 'INCLUDE',
  nonKeyAttributes: ['status', 'updatedAt'],
};
const keysOnly: IndexShape = {
  indexName: 'byOwnerSha256',
  partitionKey: 'ownerSha256',
  sortKey: 'imageId',
  projection: 'KEYS_ONLY',
};
const byOwner: IndexShape = {
  indexName: 'byOwnerSharded',
  partitionKey: 'ownerShard',
  sortKey: 'imageId',
  projection: 'INCLUDE',
  nonKeyAttributes: ['status', 'updatedAt'],
};

describe('DynamoDB item sizes', () => {
  it('counts a string as its UTF-8 bytes', () => {
    expect(valueSize({ S: 'abc' })).toBe(3);
    expect(valueSize({ S: 'é€' })).toBe(5);
  });

  it('counts a number as one byte per two significant digits plus one, zeros trimmed', () => {
    expect(numberSize('7')).toBe(2);
    expect(numberSize('1234')).toBe(3);
    expect(numberSize('12345')).toBe(4);
    expect(numberSize('1000')).toBe(2);
    expect(numberSize('0.0015')).toBe(2);
    expect(numberSize('-123.45')).toBe(4);
  });

  it('counts a boolean or a null as one byte and a binary as its raw length', () => {
    expect(valueSize({ BOOL: true })).toBe(1);
    expect(valueSize({ NULL: true })).toBe(1);
    expect(valueSize({ B: Buffer.from('hello').toString('base64') })).toBe(5);
  });

  it('adds 3 bytes to a map or list and 1 byte per element', () => {
    expect(valueSize({ M: {} })).toBe(3);
    // 3 + ('a' 1 + 'xy' 2 + 1) + ('bb' 2 + number 2 + 1)
    expect(valueSize({ M: { a: { S: 'xy' }, bb: { N: '5' } } })).toBe(12);
    // 3 + (1 + 1) + (3 + 1)
    expect(valueSize({ L: [{ BOOL: false }, { M: {} }] })).toBe(9);
  });

  it('sums attribute names and values for an item', () => {
    expect(itemSize({ imageId: { S: '01ABC' }, size: { N: '1024' } })).toBe(7 + 5 + 4 + 3);
  });
});

describe('capacity units', () => {
  it('charges one write unit per KB, rounded up, at least one', () => {
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
  });

  it('charges one read unit per 4 KB consistent, half that eventually consistent', () => {
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(100, false)).toBe(0.5);
  });

  it('charges a table write for the larger of the item before and after', () => {
    const small: Item = { imageId: { S: 'x' } };
    const large: Item = { imageId: { S: 'x' }, blob: { S: 'y'.repeat(1500) } };
    expect(tableWriteUnits(undefined, small)).toBe(1);
    expect(tableWriteUnits(large, small)).toBe(2);
    expect(tableWriteUnits(small, large)).toBe(2);
  });
});

describe('GSI writes', () => {
  const pending: Item = {
    imageId: { S: 'A' },
    status: { S: 'PENDING' },
    statusShard: { S: 'PENDING#3' },
    updatedAt: { S: 't1' },
    analysis: { S: 'not projected' },
  };
  const processed: Item = { ...pending, status: { S: 'PROCESSED' }, statusShard: { S: 'PROCESSED#3' } };

  it('puts an item that enters the index', () => {
    expect(indexWrites(undefined, pending, byStatus, 'imageId')).toEqual([
      expect.objectContaining({ kind: 'put', key: 'PENDING#3', units: 1 }),
    ]);
  });

  it('deletes and puts when the index key changes', () => {
    expect(indexWrites(pending, processed, byStatus, 'imageId').map((w) => [w.kind, w.key])).toEqual([
      ['delete', 'PENDING#3'],
      ['put', 'PROCESSED#3'],
    ]);
  });

  it('updates once when only a projected attribute changes', () => {
    const later = { ...processed, updatedAt: { S: 't2' } };
    expect(indexWrites(processed, later, byStatus, 'imageId').map((w) => w.kind)).toEqual(['update']);
  });

  it('writes nothing when only an attribute it does not project changes', () => {
    const flagged = { ...processed, eventPending: { BOOL: true } };
    expect(indexWrites(flagged, processed, byStatus, 'imageId')).toEqual([]);
    expect(indexWrites(pending, { ...pending, sha256: { S: 'h' } }, byStatus, 'imageId')).toEqual([]);
  });

  it('sizes a keys-only entry by the table key and the index keys', () => {
    const [write] = indexWrites(undefined, { ...processed, ownerSha256: { S: 'u#ab' } }, keysOnly, 'imageId');
    expect(write?.bytes).toBe(7 + 1 + 11 + 4);
  });

  it("sizes a keys-only entry of a table with a sort key by both of the table's keys", () => {
    const member: Item = { pk: { S: 'AL#a' }, sk: { S: 'I#b' }, memberImage: { S: 'b' }, addedAt: { S: 't' } };
    const byImage: IndexShape = { indexName: 'byImage', partitionKey: 'memberImage', projection: 'KEYS_ONLY' };
    const [write] = indexWrites(undefined, member, byImage, ['pk', 'sk']);
    expect(write?.bytes).toBe(2 + 4 + 2 + 3 + 11 + 1);
  });
});

describe('how key values spread', () => {
  it('sees shards in `<group>#<n>` values, at least as many as the design says', () => {
    expect(keySpread(['IMAGE#0', 'IMAGE#5', 'IMAGE#0'], 3, 16)).toEqual({ kind: 'sharded', shards: 16 });
    expect(keySpread(['IMAGE#0', 'IMAGE#5'], 2)).toEqual({ kind: 'sharded', shards: 6 });
  });

  it('sees a value of its own per image, and one constant value', () => {
    expect(keySpread(['h1', 'h2', 'h3', 'h4'], 4)).toEqual({ kind: 'per-image' });
    expect(keySpread(['IMAGE', 'IMAGE', 'IMAGE'], 3)).toEqual({ kind: 'constant' });
  });
});

describe('an image life, from its item states', () => {
  const states = (id: string, shard: number): ImageStates => {
    const pending: Item = {
      imageId: { S: id },
      status: { S: 'PENDING' },
      statusShard: { S: `PENDING#${shard}` },
      ownerShard: { S: `alice#${shard}` },
      updatedAt: { S: 't1' },
    };
    const final: Item = {
      ...pending,
      status: { S: 'PROCESSED' },
      statusShard: { S: `PROCESSED#${shard}` },
      sha256: { S: `hash-${id}` },
      ownerSha256: { S: `alice#hash-${id}` },
      updatedAt: { S: 't2' },
    };
    return { pending, finalised: { ...final, eventPending: { BOOL: true } }, final };
  };
  const images = [states('A', 0), states('B', 1), states('C', 2)];
  const figures = lifecycleFigures(
    images,
    { tableKey: 'imageId', indexes: [byStatus, byOwner, keysOnly], retired: [] },
    1,
  );

  it('charges the three table writes', () => {
    expect(figures.writes.map((w) => w.units)).toEqual([1, 1, 1]);
  });

  it('counts index writes per image and groups them by key', () => {
    const status = figures.indexes.find((i) => i.indexName === 'byStatusSharded');
    expect(status?.writesPerImage).toBe(3);
    expect(status?.groups).toEqual([
      { group: 'PENDING', unitsPerImage: 2 },
      { group: 'PROCESSED', unitsPerImage: 1 },
    ]);
    expect(status?.spread).toEqual({ kind: 'sharded', shards: 3 });
    const sha = figures.indexes.find((i) => i.indexName === 'byOwnerSha256');
    expect(sha).toMatchObject({ writesPerImage: 1, spread: { kind: 'per-image' }, groups: [{ group: 'ownerSha256' }] });
  });

  it("groups an owner's sharded keys under the owner", () => {
    const owner = figures.indexes.find((i) => i.indexName === 'byOwnerSharded');
    expect(owner).toMatchObject({ spread: { kind: 'sharded', shards: 3 }, groups: [{ group: 'alice' }] });
    // Its PENDING put, then the status change it projects: two writes, never a key change.
    expect(owner?.writesPerImage).toBe(2);
  });

  it('reads the PENDING item consistently and half a unit per query', () => {
    expect(figures.reads.map((r) => r.units)).toEqual([1, 0.5]);
  });
});

describe('search postings per image', () => {
  const posting = (term: string, padding: number): Item => ({
    term: { S: term },
    imageId: { S: '01M81J6Z2FFTETXSQTBFDTDRD6' },
    summary: { S: 'x'.repeat(padding) },
  });

  it('counts each posting as one put of ceil(bytes / 1 KB) units, and the `all` posting apart', () => {
    const figures = postingFigures([
      [posting('alice#all#3', 1500), posting('alice#label=cat#3', 10)],
      [posting('bob#all#0', 100)],
    ]);
    expect(figures.count).toBe(1.5);
    // Image one: 2 units + 1 unit; image two: 1 unit.
    expect(figures.units).toBe(2);
    expect(figures.everyImageUnits).toBe(1.5);
    expect(figures.bytes).toBeGreaterThan((1500 + 10 + 100) / 2);
  });
});
