/**
 * The moto the search-scale bench runs on: moto 5.2's server with patches for speed and memory that change nothing
 * a request can observe (test/unit/bench/search-scale-moto.test.ts sends the same requests to it and to moto as
 * the local runner starts it, and compares every answer). Without them 100,000 images do not fit:
 * - moto keeps every Item it ever makes, each copy a response is made from included, in a class-level list;
 * - each attribute value is a Python object of ~150 bytes, so a posting of 800 bytes takes ~6 KB (2.5 million of
 *   them: 15 GB); stored items keep their key attributes as they are and the rest as compressed JSON;
 * - a Query on a table's own key sorts the whole table (seconds with 2.5 million postings): it starts from the
 *   partition's items instead, kept sorted, from its ExclusiveStartKey on; the sorted list of a table is kept until
 *   an item is put or deleted, and a Scan page starts at its ExclusiveStartKey by bisection instead of stepping
 *   over every item before it; a stored item's copy is made from its decoded attributes without copying them again;
 * - the 400 KB item limit is checked with a running total instead of re-measuring the item per attribute; no
 *   access-log line per request; the service modules are listed once instead of read from disk per request.
 */

/** Python run as `python3 -c`: the patches, then moto's server with the command-line arguments. */
export const PATCHED_MOTO = `
import bisect, copy, json, logging, sys, threading, zlib
import moto.backends
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models import DynamoDBBackend, dynamo_type
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import bytesize

# Speed: no access log line per request; the service modules listed once, not read from disk per request.
logging.getLogger('werkzeug').setLevel(logging.WARNING)
_modules = list(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: _modules

# Speed: the 400 KB item limit checked with a running total, not by re-measuring the item for every attribute set.
def _value_size(value):
    return value.size() if type(value) is DynamoType else bytesize(str(value))
def _limited_setitem(self, key, value):
    total = self.__dict__.get('_bench_total')
    if total is None:
        total = sum(bytesize(k) + _value_size(v) for k, v in dict.items(self))
    new = bytesize(key) + _value_size(value)
    if total + new > 405000:
        raise ItemSizeTooLarge
    if dict.__contains__(self, key):
        total -= bytesize(key) + _value_size(dict.__getitem__(self, key))
    dict.__setitem__(self, key, value)
    self._bench_total = total + new
LimitedSizeDict.__setitem__ = _limited_setitem

# Memory: moto keeps every Item it ever makes (each copy a response is made from included) in a class-level list,
# for its reset; the bench never resets, and none of those copies would ever be freed.
Item.__new__ = staticmethod(lambda cls, *args, **kwargs: object.__new__(cls))

# Memory: string values interned (every posting repeats its image's terms).
_init = DynamoType.__init__
def _interned(self, value):
    _init(self, value)
    if self.type == 'S' and isinstance(self.value, str):
        self.value = sys.intern(self.value)
DynamoType.__init__ = _interned

# Memory: a stored item keeps its key attributes (table and index keys, which scans, sorts and index queries read
# on every item) as they are, and the rest as compressed JSON, decoded whenever anything reads them.
def _plain(value):
    if value.is_list():
        return {value.type: [_plain(v) for v in value.value]}
    if value.is_map():
        return {value.type: {k: _plain(v) for k, v in value.value.items()}}
    return value.to_json()

class PackedAttrs(dict):
    __slots__ = ('packed', 'size')
    def __init__(self, keys, rest, size):
        dict.__init__(self, keys)
        # A 2 KB window and small state: zlib's defaults allocate ~300 KB per call, slower than the rest of a put.
        packer = zlib.compressobj(6, zlib.DEFLATED, -11, 4)
        self.packed = packer.compress(json.dumps(rest, separators=(',', ':')).encode()) + packer.flush()
        self.size = size
    def full(self, copies=False):
        attrs = LimitedSizeDict.__new__(LimitedSizeDict)
        for name, value in json.loads(zlib.decompress(self.packed, -11)).items():
            dict.__setitem__(attrs, name, DynamoType(value))
        for name, value in dict.items(self):
            dict.__setitem__(attrs, name, copy.deepcopy(value) if copies else value)
        return attrs
    def __getitem__(self, name):
        return dict.__getitem__(self, name) if dict.__contains__(self, name) else self.full()[name]
    def get(self, name, default=None):
        return dict.__getitem__(self, name) if dict.__contains__(self, name) else self.full().get(name, default)
    def __contains__(self, name):
        return dict.__contains__(self, name) or name in self.full()
    def __iter__(self): return iter(self.full())
    def __len__(self): return len(self.full())
    def __eq__(self, other): return self.full() == other
    def keys(self): return self.full().keys()
    def values(self): return self.full().values()
    def items(self): return self.full().items()
    def copy(self): return self.full()
    def _refuse(self, *args, **kwargs):
        raise RuntimeError('a packed item is written only by put (update_item unpacks it first)')
    __setitem__ = __delitem__ = pop = popitem = update = setdefault = clear = _refuse

def _key_names(table):
    names = table.__dict__.get('_bench_keys')
    if names is None:
        names = {table.hash_key_attr, table.range_key_attr}
        for index in table.all_indexes():
            names.update(key['AttributeName'] for key in index.schema)
        names.discard(None)
        table._bench_keys = names
    return names

def _pack(table, item):
    if isinstance(item.attrs, PackedAttrs):
        return
    keys = _key_names(table)
    attrs = item.attrs
    size = Item.size(item)
    rest = {name: _plain(value) for name, value in attrs.items() if name not in keys}
    item.attrs = PackedAttrs({name: value for name, value in attrs.items() if name in keys}, rest, size)

def _unpack(item):
    if isinstance(item.attrs, PackedAttrs):
        item.attrs = item.attrs.full()

_item_size = Item.size
Item.size = lambda self: self.attrs.size if isinstance(self.attrs, PackedAttrs) else _item_size(self)

# A packed item's copy is its decoded attributes (new objects already), not a copy of a decoded copy.
_item_deepcopy = Item.__deepcopy__
def _deepcopy(self, memo):
    if not isinstance(self.attrs, PackedAttrs):
        return _item_deepcopy(self, memo)
    result = object.__new__(Item)
    memo[id(self)] = result
    result.hash_key = copy.deepcopy(self.hash_key, memo)
    result.range_key = copy.deepcopy(self.range_key, memo)
    result.attrs = self.attrs.full(copies=True)
    return result
Item.__deepcopy__ = _deepcopy

_local = threading.local()

# Speed: the sorted item list kept until an item is put or deleted (an update changes no key).
_put_item = Table.put_item
def _put(self, *args, **kwargs):
    self._bench_version = self.__dict__.get('_bench_version', 0) + 1
    item = _put_item(self, *args, **kwargs)
    if not getattr(_local, 'updating', False):
        _pack(self, item)
    return item
Table.put_item = _put
_delete_item = Table.delete_item
def _delete(self, *args, **kwargs):
    self._bench_version = self.__dict__.get('_bench_version', 0) + 1
    return _delete_item(self, *args, **kwargs)
Table.delete_item = _delete

_update_item = DynamoDBBackend.update_item
def _update(self, table_name, key, *args, **kwargs):
    table = self.get_table(table_name)
    hash_key, range_key = self.get_keys_value(table, key)
    current = table.get_item(hash_key, range_key)
    if current is not None:
        _unpack(current)
    _local.updating = True
    try:
        return _update_item(self, table_name, key, *args, **kwargs)
    finally:
        _local.updating = False
        written = table.get_item(hash_key, range_key)
        if written is not None:
            _pack(table, written)
DynamoDBBackend.update_item = _update

# Speed: a Query on a table's own key starts from that partition's items (moto sorts the whole table per Query),
# sorted once and kept until an item is put or deleted, and from its ExclusiveStartKey on (by bisection; the start
# item itself included, which moto steps over as before) instead of stepping over every item before it.
def _sorted_partition(self, hash_key):
    version = self.__dict__.get('_bench_version', 0)
    cache = self.__dict__.setdefault('_bench_partitions', {})
    hit = cache.get(hash_key)
    if hit is None or hit[0] != version:
        items = sorted(self.items.get(hash_key, {}).values(), key=lambda item: item.range_key.value)
        hit = (version, items, [item.range_key.value for item in items])
        cache[hash_key] = hit
    return hit[1], hit[2]

def _partition_items(self, hash_key, start, forward):
    if self.range_key_type != 'S':
        return list(self.items.get(hash_key, {}).values())
    items, keys = _sorted_partition(self, hash_key)
    if start is None:
        return list(items)
    return items[bisect.bisect_left(keys, start):] if forward else items[:bisect.bisect_right(keys, start)]

_all_items = Table.all_items
def _items(self):
    partition = getattr(_local, 'partition', None)
    if partition is not None:
        return _partition_items(self, *partition)
    version = self.__dict__.get('_bench_version', 0)
    cached = self.__dict__.get('_bench_sorted')
    if cached is None or cached[0] != version:
        cached = (version, _all_items(self))
        self._bench_sorted = cached
    start = getattr(_local, 'scan_from', None)
    return _starting_at(self, cached[1], start) if start is not None else list(cached[1])
Table.all_items = _items

_query = Table.query
def _partition_query(self, hash_key, *args, **kwargs):
    index_name = args[6] if len(args) > 6 else kwargs.get('index_name')
    own_key = index_name is None and hash_key is not None and self.range_key_attr is not None
    start_key = (args[3] if len(args) > 3 else kwargs.get('exclusive_start_key')) or {}
    forward = args[4] if len(args) > 4 else kwargs.get('scan_index_forward', True)
    start = start_key.get(self.range_key_attr, {}).get('S') if own_key else None
    _local.partition = (hash_key, start, forward is not False) if own_key else None
    try:
        return _query(self, hash_key, *args, **kwargs)
    finally:
        _local.partition = None
Table.query = _partition_query

# Speed: a Scan page of a table without a sort key starts at its ExclusiveStartKey (found by bisection in the kept
# sorted list), instead of stepping over every item before it.
def _starting_at(self, cached, start):
    keys = self.__dict__.get('_bench_keys_of')
    if keys is None or keys[0] is not cached:
        keys = (cached, [item.hash_key.value for item in cached])
        self._bench_keys_of = keys
    return list(cached[bisect.bisect_left(keys[1], start):])

_scan = Table.scan
def _scan_from(self, filters, limit, exclusive_start_key, filter_expression=None, index_name=None, *args, **kwargs):
    simple = index_name is None and self.range_key_attr is None and self.hash_key_type == 'S'
    start = exclusive_start_key.get(self.hash_key_attr) if simple and exclusive_start_key else None
    _local.scan_from = start.get('S') if isinstance(start, dict) else None
    try:
        return _scan(self, filters, limit, exclusive_start_key, filter_expression, index_name, *args, **kwargs)
    finally:
        _local.scan_from = None
Table.scan = _scan_from

from moto.server import main
main(sys.argv[1:])
`;
