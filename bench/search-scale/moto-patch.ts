/**
 * The moto the search-scale bench runs on: moto 5.2's server with patches for speed and memory that change nothing
 * a request can observe (search-scale/patched-moto.check.ts sends the same requests to it and to moto as
 * the local runner starts it, and compares every answer; the bench runs it before it measures). Without them 100,000 images do not fit:
 * - moto keeps every Item it ever makes, each copy a response is made from included, in a class-level list;
 * - each attribute value is a Python object of ~150 bytes, so a posting of 800 bytes takes ~6 KB (2.5 million of
 *   them: 15 GB); stored items keep their key attributes as they are and the rest as compressed JSON;
 * - a Query on a table's own key sorts the whole table (seconds with 2.5 million postings): it starts from the
 *   partition's items instead, kept sorted, from its ExclusiveStartKey on; the sorted list of a table is kept until
 *   an item is put or deleted, and a Scan page starts at its ExclusiveStartKey by bisection instead of stepping
 *   over every item before it; a stored item's copy is made from its decoded attributes without copying them again;
 * - the 400 KB item limit is checked with a running total instead of re-measuring the item per attribute; no
 *   access-log line per request; the service modules are listed once instead of read from disk per request.
 * Loading the library (4.6 requests and 26 postings per image) ran at ~15 images/s, all of it moto's CPU; a profile
 * showed where (each share of the time moto spent):
 * - UpdateItem 45 %: the update expression parsed twice and deep-copied per request, its clause-count and
 *   overlapping-path checks run at every action node over all the actions below it (quadratic), per-node abc
 *   isinstance checks in the 8 traversals, and the old item copied and converted only to compute what ReturnValues
 *   NONE never returns: parsed once per text, copied as plain objects, checked at the root (the full traversal only
 *   when that check fails, so the error is moto's), and the old item's copy skipped for ReturnValues NONE;
 * - puts 20 %: a DynamoType per nested value built and measured, then turned back into JSON to be packed: a put's
 *   item is packed from the request's values directly and measured by the same rules;
 * - request parsing 11 %: moto's shape parser rebuilds the JSON body it was given: the body is the parameters
 *   (bodies with a binary value still take the parser); a handler's method names listed once, not per request;
 * - a thread per connection: with 8 clients, a third of the CPU went to handing over the interpreter lock: requests
 *   are served one at a time.
 * Together: ~3x the load rate, the same answers (the test compares them, errors included).
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
    __slots__ = ('packed', 'size', 'binary')
    def __init__(self, keys, rest, size):
        dict.__init__(self, keys)
        text = json.dumps(rest, separators=(',', ':'))
        # Whether a binary value may be in it (a false alarm only costs speed).
        self.binary = '"B":' in text or '"BS":' in text or any(value.type in ('B', 'BS') for value in keys.values())
        # A 2 KB window and small state: zlib's defaults allocate ~300 KB per call, slower than the rest of a put.
        packer = zlib.compressobj(6, zlib.DEFLATED, -11, 4)
        self.packed = packer.compress(text.encode()) + packer.flush()
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
    rest = {name: _plain(value) for name, value in attrs.items() if name not in keys}
    try:
        size = sum(bytesize(name) + (_raw_size(rest[name]) if name in rest else attrs[name].size()) for name in attrs)
    except _Binary:
        size = Item.size(item)
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
    updating = getattr(_local, 'updating', False)
    _local.put_table = None if updating else self
    try:
        item = _put_item(self, *args, **kwargs)
    finally:
        _local.put_table = None
    if not updating:
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

# Speed: a put stores its item packed straight from the request's attributes (what _pack would make of them),
# without building a DynamoType per nested value and measuring them again; its size is measured on the request's
# values by DynamoType.size's rules, and over 405000 bytes it fails as LimitedSizeDict does. Items with a binary
# value anywhere take moto's way.
def _raw_size(value):
    for kind, inner in value.items():
        if kind == 'S':
            return len(inner.encode())
        if kind == 'N':
            return len(str(inner))
        if kind == 'M':
            return sum(len(k.encode()) + _raw_size(v) for k, v in inner.items())
        if kind == 'L':
            return sum(_raw_size(v) for v in inner)
        if kind in ('SS', 'NS'):
            return sum(_raw_size({kind[0]: v}) for v in inner)
        if kind in ('B', 'BS'):
            raise _Binary
        return 1 if isinstance(inner, bool) else bytesize(inner)

class _Binary(Exception):
    pass

_item_init = Item.__init__
def _item(self, hash_key, range_key, attrs):
    table = getattr(_local, 'put_table', None)
    if table is None:
        return _item_init(self, hash_key, range_key, attrs)
    _local.put_table = None
    try:
        size = sum(bytesize(name) + _raw_size(value) for name, value in attrs.items())
    except _Binary:
        return _item_init(self, hash_key, range_key, attrs)
    if size > 405000:
        raise ItemSizeTooLarge
    self.hash_key = hash_key
    self.range_key = range_key
    keys = _key_names(table)
    self.attrs = PackedAttrs(
        {name: DynamoType(value) for name, value in attrs.items() if name in keys},
        {name: value for name, value in attrs.items() if name not in keys},
        size,
    )
Item.__init__ = _item

# Speed: a packed item's JSON is its attributes as to_json gives them (no binary in it): decoded, not rebuilt.
def _attr_json(attribute):
    if isinstance(attribute.value, dict):
        return {attribute.type: {k: v.to_regular_json() for k, v in attribute.value.items()}}
    if isinstance(attribute.value, list):
        return {attribute.type: [v.to_regular_json() if isinstance(v, DynamoType) else v for v in attribute.value]}
    return {attribute.type: attribute.value}

_item_to_json = Item.to_json
def _to_json(self, root_attr_name='Attributes'):
    attrs = self.attrs
    if not isinstance(attrs, PackedAttrs) or attrs.binary:
        return _item_to_json(self, root_attr_name)
    out = json.loads(zlib.decompress(attrs.packed, -11))
    for name, value in dict.items(attrs):
        out[name] = _attr_json(value)
    return {root_attr_name: out}
Item.to_json = _to_json

# Speed: an UpdateItem that returns no attributes (ReturnValues NONE) does not copy the old item to compare it with
# the new one (moto only uses that copy for the attributes it returns); the key is still looked up as before.
from moto.dynamodb.responses import DynamoHandler
_backend_get_item = DynamoDBBackend.get_item
def _get_item(self, *args, **kwargs):
    item = _backend_get_item(self, *args, **kwargs)
    if getattr(_local, 'old_unused', False):
        _local.old_unused = False
        return None
    return item
DynamoDBBackend.get_item = _get_item
_handler_update_item = DynamoHandler.update_item
def _handler_update(self):
    _local.old_unused = self.body.get('ReturnValues', 'NONE') == 'NONE'
    try:
        return _handler_update_item(self)
    finally:
        _local.old_unused = False
DynamoHandler.update_item = _handler_update

# Speed: an update expression parsed once per text (the handler and the backend each parsed it; nothing changes the
# tree made: the validator works on its own deep copy).
from moto.dynamodb.parsing.expressions import UpdateExpressionParser
_make = UpdateExpressionParser.make.__func__
_made = {}
def _cached_make(cls, expression_str):
    tree = _made.get(expression_str)
    if tree is None:
        tree = _make(cls, expression_str)
        if len(_made) < 4096:
            _made[expression_str] = tree
    return tree
UpdateExpressionParser.make = classmethod(_cached_make)

# Speed: expression trees copied as plain objects (default deepcopy goes through __reduce_ex__ per node).
from moto.dynamodb.parsing import ast_nodes, validators
def _node_deepcopy(self, memo):
    result = object.__new__(type(self))
    memo[id(self)] = result
    state = result.__dict__
    for name, value in self.__dict__.items():
        if name == 'children' and type(value) is list:
            copied = []
            for child in value:
                if type(child) is str:
                    copied.append(child)
                elif isinstance(child, ast_nodes.Node) and id(child) not in memo:
                    copied.append(child.__deepcopy__(memo))
                else:
                    copied.append(copy.deepcopy(child, memo))
            state[name] = copied
        else:
            state[name] = copy.deepcopy(value, memo)
    return result
ast_nodes.Node.__deepcopy__ = _node_deepcopy

# Speed: the node types a traverser processes listed once per traverser, not per node.
def _nodes_to_be_processed(self):
    nodes = self.__dict__.get('_bench_nodes')
    if nodes is None:
        nodes = self._bench_nodes = tuple(self._processing_map().keys())
    return nodes
ast_nodes.DepthFirstTraverser.nodes_to_be_processed = _nodes_to_be_processed

# Speed: the same depth-first traversal without the per-node isinstance checks through abc (answers kept per type;
# no class is registered with these abstract bases) and without the no-op hook call per child.
_Node = ast_nodes.Node
_is_node = {}
_base_pre = ast_nodes.DepthFirstTraverser.pre_processing_of_child
def _traverse_node(self, node, child_id=-1):
    kind = type(node)
    is_node = _is_node.get(kind)
    if is_node is None:
        is_node = _is_node[kind] = isinstance(node, _Node)
    if not is_node:
        return node
    parent_node = node.parent
    children = node.children
    if children is not None:
        pre = None if type(self).pre_processing_of_child is _base_pre else self.pre_processing_of_child
        for i, child_node in enumerate(children):
            if pre is not None:
                pre(node, i)
            self.traverse_node_recursively(child_node, i)
    processed = self.__dict__.get('_bench_processed')
    if processed is None:
        processed = self._bench_processed = {}
    hit = processed.get(kind)
    if hit is None:
        hit = processed[kind] = isinstance(node, self.nodes_to_be_processed())
    if hit:
        node = self.process(node)
        node.parent = parent_node
        if parent_node:
            parent_node.children[child_id] = node
    return node
ast_nodes.DepthFirstTraverser.traverse_node_recursively = _traverse_node

# Speed: the clause-count and overlapping-path checks run on every action node, each over all the clauses below
# it (quadratic in the actions). The root's check covers every clause; only if it fails does the full traversal
# run, so the error raised is the one moto raises.
def _root_first(cls, check):
    traverse = cls.traverse
    def _traverse(self, node):
        if isinstance(node, ast_nodes.UpdateExpression) and node.parent is None:
            try:
                getattr(self, check)(node)
                return node
            except Exception:
                pass
        return traverse(self, node)
    cls.traverse = _traverse
_root_first(validators.ActionCountValidator, 'verify_action_counts')
_root_first(validators.OverlappingPathsValidator, 'check_for_overlapping_paths')

# Speed: the JSON body of the item operations is the parameters as they are (moto's shape parser rebuilds the same
# dicts); bodies with a binary value take the parser, which decodes blobs.
_FAST_OPERATIONS = {'PutItem', 'UpdateItem', 'BatchWriteItem', 'GetItem', 'BatchGetItem', 'Query', 'Scan', 'DeleteItem'}
_parse_parameters = DynamoHandler.parse_parameters
def _parse(self, request):
    body = self.body
    if isinstance(body, str) and body and '"B"' not in body and '"BS"' not in body and self._get_action() in _FAST_OPERATIONS:
        self.params = json.loads(body)
        return
    _parse_parameters(self, request)
DynamoHandler.parse_parameters = _parse

# Speed: a handler class's method names listed once, not by inspect.getmembers per request.
import moto.core.responses as core_responses
_method_names = core_responses.method_names_from_class
_names_of = {}
def _cached_method_names(clazz):
    names = _names_of.get(clazz)
    if names is None:
        names = _names_of[clazz] = _method_names(clazz)
    return list(names)
core_responses.method_names_from_class = _cached_method_names

# Speed: the cyclic garbage collector run less often (millions of long-lived objects; it still runs).
import gc
gc.set_threshold(100000, 50, 100)

# Speed: requests served one at a time on the main thread (moto's server starts a thread per connection, and with
# several clients at once the threads spend a third of the CPU handing the interpreter lock to each other). Each
# response closes its connection (HTTP/1.0), so no client holds the server.
import moto.server
_run_simple = moto.server.run_simple
moto.server.run_simple = lambda *args, **kwargs: _run_simple(*args, **{**kwargs, 'threaded': False})

from moto.server import main
main(sys.argv[1:])
`;
