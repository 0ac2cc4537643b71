import { DYNAMODB_ANSWERS } from './moto-dynamodb-answers';
import { DYNAMODB_QUERIES } from './moto-dynamodb-queries';
import { DYNAMODB_WRITES } from './moto-dynamodb-writes';
import { QUERY_VECTORS } from './moto-query-vectors';
import { MOTO_SNAPSHOTS } from './moto-snapshots';
import { SQS_SENDS } from './moto-sqs-sends';

/**
 * What the local emulator (emulator.ts) runs as `python3 -c`: `python3 -m moto.server`, with these fixes and one
 * setting:
 * - moto 5 re-parses the same eight JSONPath expressions (building a yacc table each time) for every event and
 *   every rule target, so each PutEvents cost 100-400 ms and the event bus was the whole pipeline's bottleneck.
 *   Memoising `jsonpath_ng.ext.parse` (parsed paths are immutable) brings it to under 10 ms with identical events.
 * - moto's server routes every request under one lock, and inside it lists moto's package directory (a stat per
 *   service) to find the backend; with one moto shared by a whole test run, sampled threads spent 83 % of their time
 *   waiting on that lock. The list is read once. The Step Functions interpreter parses its result paths with
 *   `jsonpath_ng.parse` (not the ext one), a yacc table each time: memoised the same way. And werkzeug's line per
 *   request to stderr, which nobody reads, is off.
 * - Step Functions executes state machines (moto's interpreter, ported from LocalStack), which is off by default:
 *   the runner runs the backfill's batch definition in it (local/backfill-runs.ts).
 * - moto 5.2.1 copies a state machine with `copy.deepcopy` on every StartExecution, dragging in the earlier
 *   executions' threads: the second execution in a Region fails with HTTP 500 "cannot pickle '_thread.RLock'". The
 *   copy here shares the backend and the list of executions instead.
 * - moto's DynamoDB reads, changes and stores an item with no lock, and its server answers requests on threads:
 *   two concurrent `ADD n` to one item lost one (a backfill's `queued` counted 3 of 23 with three batches at once),
 *   and two conditional writes could both pass. DynamoDB writes an item atomically; a lock per table around moto's
 *   PutItem, UpdateItem and DeleteItem does too, and a transaction holds the locks of all its tables, taken in name
 *   order so two never wait on each other (re-entrant: a transaction calls the other three). Without it two
 *   transactions conditional on the same person's revision both passed and one face count was lost
 *   (the face grouping tests), and a cancelled transaction could undo a write made meanwhile. One
 *   lock for every table, as at first, queued each test file's writes behind every other's on the shared moto: a
 *   profile of a whole `npm test` found its threads waiting on it in 40 % of samples. Reads (GetItem, Query, Scan,
 *   BatchGetItem, TransactGetItems) hold their tables' locks too, until their answer is written: moto's UpdateItem
 *   changes the stored item one attribute at a time, so a GetItem beside the processor's final write once read
 *   `status: PROCESSED` without the analysis that same write was setting (a rendition refused with 409 "image ... is
 *   PROCESSED: only a PROCESSED image has renditions"), which DynamoDB, writing an item whole, never shows.
 * - moto's DynamoDB Query gathers and sorts every item of the table, then keeps the key's: its cost grows with the
 *   table, not the partition. A similar-images lookup (428 Queries at maxDistance 10) against the e2e suite's search
 *   table took over 29 s under load, and the API answered 502 as API Gateway would. A Query of the table itself
 *   (not of an index) now reads only its partition key's items, as DynamoDB does; what it answers is unchanged.
 * - moto's SQS works out every attribute of a queue (three of them a pass over its messages) three times for each
 *   attribute asked for, and asks for the retention period that way for each message a ReceiveMessage returns: a
 *   fifth of the shared moto's time in the e2e suite went to GetQueueAttributes and ReceiveMessage, most of it reading
 *   the clock once per message per pass. The attributes are worked out once a request, the retention period read
 *   from the queue; the answers are the same.
 * - moto's SendMessage reads every attribute of the queue to learn one: SQS_SENDS (moto-sqs-sends.ts).
 * - moto's UpdateItem deep-copies the stored item twice, for readers that are often not there: DYNAMODB_WRITES
 *   (moto-dynamodb-writes.ts).
 * - moto's DynamoDB Query of an index and its sizes of items are slow on a big table: DYNAMODB_QUERIES
 *   (moto-dynamodb-queries.ts).
 * - The interpreter's collector ran a full pass over moto's millions of stored values every few thousand requests:
 *   its thresholds are raised (20,000 allocations before a young pass), the first line below.
 * - moto's TransactWriteItems keeps a `copy.deepcopy` of every table it writes to, to put back if the transaction is
 *   cancelled: its cost grows with the table, not the transaction, and it runs under the write lock above. On the
 *   shared moto the e2e runner's table holds thousands of analysed images by the end of a run, and sampled threads
 *   spent most of their time in that copy or waiting for the lock it held. The copy here is of the items the
 *   transaction names (a Put's key or the key of the rest), put back (or removed, if there was none) when the
 *   transaction raises; the table object is kept. What a transaction answers and leaves behind is unchanged.
 * - moto's server (werkzeug's development server) closes the connection after every response, and before closing
 *   waits up to 10 ms for more request bytes to throw away: every AWS call paid a new TCP connection, a new thread
 *   and that wait, on both sides. Sampled, two fifths of the shared moto's busy time was connection handling. Here
 *   an HTTP/1.1 request with a `Content-Length` (or no body) is read whole before moto sees it, nothing is left to
 *   throw away, and the connection stays open for the client's next call (with Nagle's algorithm off: a response's
 *   headers and body are two writes). A chunked request, HTTP/1.0 or `Connection: close` is answered as before.
 *   1,000 GetItems four at a time: moto 3.1 -> 1.3 ms of CPU a call, the SDK client 2.2 -> 1.4 ms, 3.6 -> 1.7 s.
 * - moto's SQS long poll goes on after its client has gone, and takes the first message that arrives for a response
 *   nobody reads: the message stays invisible for the queue's visibility timeout. A runner that stops aborts its
 *   20 s receives (poller.ts), and the next runner on the same queue (the docs examples restart one per session)
 *   lost its first upload to the orphan: a rendition refused with 409 for minutes. A long poll now checks its
 *   connection each time it wakes (a message, or each second) and ends with no message once the client has closed
 *   it. (SQS itself may hand a message to a receive whose client has gone; Lambda's pollers never abandon one.)
 * - moto takes one process-wide lock on every request to look up the account's backend, even when it exists, which
 *   is always but the first time: under the shared moto's load, with dozens of connection threads, a thread holding
 *   it waited for the interpreter lock while the others queued behind it (37 % of the samples in the same profile).
 *   An existing backend is now looked up without the lock; a new one is still made under it.
 * - moto answers any `Host`, so a page elsewhere could rebind its own name to 127.0.0.1 and read every owner's
 *   records and face descriptors as same-origin (host-check.ts). A WSGI check in front of moto's dispatcher answers
 *   421 unless the name is a loopback one (localhost, 127.0.0.1, [::1], or under .localhost, which browsers resolve
 *   to loopback only: S3's virtual-hosted style). Here rather than a Node proxy in front of moto: no second hop for
 *   every call and upload body, nothing to keep in step with SigV4 (which signs `Host`), and moto refuses a
 *   rebinding page whoever started it (tests and benches that start moto get it too). The port is not checked: a
 *   proxy on another loopback port (the fault tests', an SSH tunnel) must forward `Host` unchanged for SigV4.
 * - moto answers CORS for every origin (flask-cors) and checks no signature, so any page that finds its port could
 *   read every table and send it requests (an SQS form POST needs no preflight; `/moto-api/reset` neither). The same
 *   check answers 403 to a request whose `Origin` is not on a loopback name (the runner's web app, posting uploads
 *   straight to S3, is on one); the SDKs send no `Origin`.
 * - moto's S3 GetObject ignores the `response-content-disposition` (and other `response-*`) parameters a presigned
 *   URL carries, which S3 answers with as headers: the web app's Download link (`urls.download`, an `attachment`
 *   under the file's name) opened the bare image instead of the app. A GET with them now answers them as S3 does.
 * - moto 5.2.1 keeps S3 Vectors' buckets, indexes and vectors but has no QueryVectors: QUERY_VECTORS adds it
 *   (moto-query-vectors.ts).
 * - moto 5.2's DynamoDB answers and projections are slow on nested items: DYNAMODB_ANSWERS (moto-dynamodb-answers.ts).
 * - moto keeps everything in memory: with IMAGE_INTEL_DATA_DIR, MOTO_SNAPSHOTS keeps it in that folder across
 *   restarts (moto-snapshots.ts).
 */

export const MOTO_LAUNCHER = [
  'import copy, functools, gc, sys',
  'gc.set_threshold(20000, 20, 100)',
  'import jsonpath_ng.ext as ext',
  'ext.parse = functools.lru_cache(maxsize=1024)(ext.parse)',
  'import jsonpath_ng',
  'jsonpath_ng.parse = functools.lru_cache(maxsize=1024)(jsonpath_ng.parse)',
  'import moto.backends',
  '_modules = frozenset(moto.backends.list_of_moto_modules())',
  'moto.backends.list_of_moto_modules = lambda: _modules',
  'import logging',
  "logging.getLogger('werkzeug').setLevel(logging.WARNING)",
  'from moto.core.config import default_user_config',
  "default_user_config['stepfunctions']['execute_state_machine'] = True",
  'from moto.stepfunctions.models import StateMachine',
  'def _copy(self, memo):',
  '    memo[id(self.backend)] = self.backend',
  '    memo[id(self.executions)] = list(self.executions)',
  '    new = self.__class__.__new__(self.__class__)',
  '    memo[id(self)] = new',
  '    for name, value in self.__dict__.items():',
  '        setattr(new, name, copy.deepcopy(value, memo))',
  '    return new',
  'StateMachine.__deepcopy__ = _copy',
  'import threading',
  'from moto.dynamodb.models import DynamoDBBackend',
  '_locks = threading.Lock()',
  '_table_locks = {}',
  'def _table_lock(name):',
  '    lock = _table_locks.get(name)',
  '    if lock is None:',
  '        with _locks:',
  '            lock = _table_locks.setdefault(name, threading.RLock())',
  '    return lock',
  'def _atomic(method):',
  '    def locked(self, table_name, *args, **kwargs):',
  '        with _table_lock(table_name):',
  '            return method(self, table_name, *args, **kwargs)',
  '    return locked',
  'DynamoDBBackend.put_item = _atomic(DynamoDBBackend.put_item)',
  'DynamoDBBackend.update_item = _atomic(DynamoDBBackend.update_item)',
  'DynamoDBBackend.delete_item = _atomic(DynamoDBBackend.delete_item)',
  'from moto.dynamodb.models.table import Table',
  '_partition = threading.local()',
  '_all_items = Table.all_items',
  'def _items(self):',
  "    only = getattr(_partition, 'only', None)",
  '    if only is None or only[0] is not self:',
  '        return _all_items(self)',
  '    found = self.items.get(only[1])',
  '    return list(found.values()) if found else []',
  'Table.all_items = _items',
  '_query = Table.query',
  'def _query_partition(self, hash_key, *args, **kwargs):',
  "    index_name = args[6] if len(args) > 6 else kwargs.get('index_name')",
  '    if index_name or not self.range_key_attr or hash_key is None:',
  '        return _query(self, hash_key, *args, **kwargs)',
  '    _partition.only = (self, hash_key)',
  '    try:',
  '        return _query(self, hash_key, *args, **kwargs)',
  '    finally:',
  '        _partition.only = None',
  'Table.query = _query_partition',
  ...DYNAMODB_QUERIES,
  ...DYNAMODB_WRITES,
  'from moto.dynamodb.models.dynamo_type import DynamoType',
  '_transaction = threading.local()',
  'def _table_copy(self, memo):',
  "    if getattr(_transaction, 'active', False):",
  '        return self',
  '    new = self.__class__.__new__(self.__class__)',
  '    memo[id(self)] = new',
  '    for name, value in self.__dict__.items():',
  '        setattr(new, name, copy.deepcopy(value, memo))',
  '    return new',
  'Table.__deepcopy__ = _table_copy',
  'def _touched(self, transact_items):',
  '    found = []',
  '    for entry in transact_items if isinstance(transact_items, list) else []:',
  '        op = next(iter(entry.values()), None) if isinstance(entry, dict) else None',
  "        table = self.tables.get(op.get('TableName')) if isinstance(op, dict) else None",
  '        if table is None:',
  '            continue',
  "        key = op.get('Item') if 'Item' in op else op.get('Key')",
  '        if not isinstance(key, dict) or table.hash_key_attr not in key:',
  '            continue',
  '        if table.range_key_attr and table.range_key_attr not in key:',
  '            continue',
  '        hash_value = DynamoType(key[table.hash_key_attr])',
  '        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None',
  '        held = table.items.get(hash_value)',
  '        current = held.get(range_value) if table.range_key_attr and held is not None else held',
  '        found.append((table, hash_value, range_value, copy.deepcopy(current)))',
  '    return found',
  'def _put_back(found):',
  '    for table, hash_value, range_value, item in reversed(found):',
  '        if table.range_key_attr:',
  '            partition = table.items[hash_value]',
  '            if item is None:',
  '                partition.pop(range_value, None)',
  '            else:',
  '                partition[range_value] = item',
  '            if not partition:',
  '                table.items.pop(hash_value, None)',
  '        elif item is None:',
  '            table.items.pop(hash_value, None)',
  '        else:',
  '            table.items[hash_value] = item',
  '_transact_write = DynamoDBBackend.transact_write_items',
  'import contextlib',
  'def _transact_touched(self, transact_items):',
  '    names = set()',
  '    for entry in transact_items if isinstance(transact_items, list) else []:',
  '        op = next(iter(entry.values()), None) if isinstance(entry, dict) else None',
  "        if isinstance(op, dict) and isinstance(op.get('TableName'), str):",
  "            names.add(op['TableName'])",
  '    with contextlib.ExitStack() as held:',
  '        for name in sorted(names):',
  '            held.enter_context(_table_lock(name))',
  '        found = _touched(self, transact_items)',
  '        _transaction.active = True',
  '        try:',
  '            return _transact_write(self, transact_items)',
  '        except BaseException:',
  '            _put_back(found)',
  '            raise',
  '        finally:',
  '            _transaction.active = False',
  'DynamoDBBackend.transact_write_items = _transact_touched',
  'from moto.dynamodb.responses import DynamoHandler',
  "_READS = {'GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'}",
  'def _read_tables(action, params):',
  "    if action == 'BatchGetItem':",
  "        return list((params.get('RequestItems') or {}).keys())",
  "    if action == 'TransactGetItems':",
  "        return [(entry.get('Get') or {}).get('TableName') for entry in params.get('TransactItems') or []]",
  "    return [params.get('TableName')]",
  '_handle = DynamoHandler.call_action',
  'def _handle_atomic(self):',
  "    params = getattr(self, 'params', None)",
  '    action = self._get_action()',
  '    if action not in _READS or not isinstance(params, dict):',
  '        return _handle(self)',
  '    names = sorted({name for name in _read_tables(action, params) if isinstance(name, str)})',
  '    with contextlib.ExitStack() as held:',
  '        for name in names:',
  '            held.enter_context(_table_lock(name))',
  '        return _handle(self)',
  'DynamoHandler.call_action = _handle_atomic',
  ...DYNAMODB_ANSWERS,
  'import json',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication',
  "_loopback = ('localhost', '127.0.0.1', '[::1]')",
  '_dispatch = DomainDispatcherApplication.__call__',
  'def _host_checked(self, environ, start_response):',
  "    host = environ.get('HTTP_HOST', '').lower()",
  "    name = host.rsplit(':', 1)[0] if host.rfind(':') > host.rfind(']') else host",
  "    if not (name in _loopback or name.endswith('.localhost')):",
  "        shown = 'Host ' + json.dumps(host[:100]) if host else 'no Host header'",
  "        return _refused(start_response, '421 Misdirected Request', shown + ': the local emulator answers only localhost, 127.0.0.1, [::1] and *.localhost (a page elsewhere cannot reach it through DNS rebinding)')",
  "    origin = environ.get('HTTP_ORIGIN')",
  '    if origin is not None and not _loopback_origin(origin.lower()):',
  "        return _refused(start_response, '403 Forbidden', 'Origin ' + json.dumps(origin[:100]) + ': the local emulator answers only pages of loopback origins (a page elsewhere cannot drive or read it)')",
  '    return _dispatch(self, environ, start_response)',
  'def _loopback_origin(origin):',
  "    scheme, _, rest = origin.partition('://')",
  "    name = rest.rsplit(':', 1)[0] if rest.rfind(':') > rest.rfind(']') else rest",
  "    return scheme in ('http', 'https') and (name in _loopback or name.endswith('.localhost'))",
  'def _refused(start_response, status, message):',
  "    body = json.dumps({'message': message}).encode()",
  "    start_response(status, [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])",
  '    return [body]',
  'DomainDispatcherApplication.__call__ = _host_checked',
  'from moto.sqs.exceptions import InvalidAttributeName',
  'from moto.sqs.models import SQSBackend',
  'from moto.core.utils import unix_time',
  'def _queue_attributes(self, queue_name, attribute_names):',
  '    queue = self.get_queue(queue_name)',
  '    if not attribute_names:',
  '        return {}',
  "    valid = ['All'] + queue.BASE_ATTRIBUTES + queue.FIFO_ATTRIBUTES + queue.KMS_ATTRIBUTES",
  '    invalid = next((name for name in attribute_names if name not in valid), None)',
  "    if invalid or invalid == '':",
  '        raise InvalidAttributeName(invalid)',
  '    everything = queue.attributes',
  "    if 'All' in attribute_names:",
  '        return everything',
  '    return {name: everything[name] for name in attribute_names if everything.get(name) is not None}',
  'SQSBackend.get_queue_attributes = _queue_attributes',
  'def _retained(self, queue_name, message):',
  '    retention = self.get_queue(queue_name).message_retention_period',
  '    return retention + message.sent_timestamp / 1000 > unix_time()',
  'SQSBackend.is_message_valid_based_on_retention_period = _retained',
  ...SQS_SENDS,
  'import io, selectors',
  'from werkzeug import serving',
  '_keeping = threading.local()',
  'class _NoDrain:',
  '    def register(self, *args, **kwargs):',
  '        pass',
  '    def select(self, timeout=None):',
  '        return []',
  '    def close(self):',
  '        pass',
  'class _Selectors:',
  '    def __getattr__(self, name):',
  '        return getattr(selectors, name)',
  '    def DefaultSelector(self):',
  "        return _NoDrain() if getattr(_keeping, 'on', False) else selectors.DefaultSelector()",
  'serving.selectors = _Selectors()',
  '_send_header = serving.WSGIRequestHandler.send_header',
  'def _header(self, keyword, value):',
  "    if getattr(_keeping, 'on', False) and keyword.lower() == 'connection' and value.lower() == 'close':",
  '        return',
  '    _send_header(self, keyword, value)',
  'serving.WSGIRequestHandler.send_header = _header',
  '_run_wsgi = serving.WSGIRequestHandler.run_wsgi',
  'def _serve_keeping_alive(self):',
  "    length = self.headers.get('Content-Length')",
  "    chunked = 'chunked' in self.headers.get('Transfer-Encoding', '').lower()",
  "    if self.request_version != 'HTTP/1.1' or self.close_connection or chunked or not (length is None or length.isdigit()):",
  '        return _run_wsgi(self)',
  '    real = self.rfile',
  '    if length and int(length) > 0:',
  '        body = real.read(int(length))',
  '        if len(body) < int(length):',
  '            self.close_connection = True',
  '        self.rfile = io.BytesIO(body)',
  '    _keeping.on = True',
  '    try:',
  '        return _run_wsgi(self)',
  '    finally:',
  '        _keeping.on = False',
  '        self.rfile = real',
  'def _run_keeping_alive(self):',
  '    _keeping.client = self.connection',
  '    try:',
  '        return _serve_keeping_alive(self)',
  '    finally:',
  '        _keeping.client = None',
  'serving.WSGIRequestHandler.run_wsgi = _run_keeping_alive',
  'import select, socket',
  'from moto.sqs.models import Queue',
  'class _ClientGone(Exception):',
  '    pass',
  'def _client_gone():',
  "    client = getattr(_keeping, 'client', None)",
  '    if client is None:',
  '        return False',
  '    try:',
  '        readable, _, _ = select.select([client], [], [], 0)',
  "        return bool(readable) and client.recv(1, socket.MSG_PEEK) == b''",
  '    except (OSError, ValueError):',
  '        return True',
  '_wait_for_messages = Queue.wait_for_messages',
  'def _wait_unless_gone(self, timeout):',
  '    _wait_for_messages(self, timeout)',
  '    if _client_gone():',
  '        raise _ClientGone()',
  'Queue.wait_for_messages = _wait_unless_gone',
  '_receive_message = SQSBackend.receive_message',
  'def _receive_for_client(self, *args, **kwargs):',
  '    try:',
  '        return _receive_message(self, *args, **kwargs)',
  '    except _ClientGone:',
  '        return []',
  'SQSBackend.receive_message = _receive_for_client',
  'serving.WSGIRequestHandler.disable_nagle_algorithm = True',
  'from moto.core.base_backend import BackendDict',
  '_create_backend = BackendDict._create_account_specific_backend',
  'def _create_if_missing(self, account_id):',
  '    if account_id not in self:',
  '        _create_backend(self, account_id)',
  'BackendDict._create_account_specific_backend = _create_if_missing',
  'from moto.s3.responses import S3Response',
  "_OVERRIDES = {'response-content-type': 'Content-Type', 'response-content-language': 'Content-Language', 'response-expires': 'Expires', 'response-cache-control': 'Cache-Control', 'response-content-disposition': 'Content-Disposition', 'response-content-encoding': 'Content-Encoding'}",
  '_get_object = S3Response.get_object',
  'def _get_object_overridden(self):',
  '    status, headers, body = _get_object(self)',
  '    if status not in (200, 206):',
  '        return status, headers, body',
  '    for param, name in _OVERRIDES.items():',
  '        value = self.querystring.get(param)',
  '        if value:',
  '            for held in [key for key in headers if key.lower() == name.lower()]:',
  '                del headers[held]',
  '            headers[name] = value[0]',
  '    return status, headers, body',
  'S3Response.get_object = _get_object_overridden',
  ...QUERY_VECTORS,
  MOTO_SNAPSHOTS,
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');
