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
 *   and two conditional writes could both pass. DynamoDB writes an item atomically; one lock around moto's
 *   PutItem, UpdateItem, DeleteItem and TransactWriteItems does too (re-entrant: a transaction calls the other
 *   three). Without it two transactions conditional on the same person's revision both passed and one face count
 *   was lost (test/integration/people/grouping.test.ts), and a cancelled transaction, which restores a copy of the whole
 *   table, could undo a write made meanwhile.
 * - moto's DynamoDB Query gathers and sorts every item of the table, then keeps the key's: its cost grows with the
 *   table, not the partition. A similar-images lookup (428 Queries at maxDistance 10) against the e2e suite's search
 *   table took over 29 s under load, and the API answered 502 as API Gateway would. A Query of the table itself
 *   (not of an index) now reads only its partition key's items, as DynamoDB does; what it answers is unchanged.
 * - moto's SQS works out every attribute of a queue (three of them a pass over its messages) three times for each
 *   attribute asked for, and asks for the retention period that way for each message a ReceiveMessage returns: a
 *   fifth of the shared moto's time in the e2e suite went to GetQueueAttributes and ReceiveMessage, most of it reading
 *   the clock once per message per pass. The attributes are worked out once a request, the retention period read
 *   from the queue; the answers are the same.
 * - moto answers any `Host`, so a page elsewhere could rebind its own name to 127.0.0.1 and read every owner's
 *   records and face descriptors as same-origin (host-check.ts). A WSGI check in front of moto's dispatcher answers
 *   421 unless the name is a loopback one (localhost, 127.0.0.1, [::1], or under .localhost, which browsers resolve
 *   to loopback only: S3's virtual-hosted style). Here rather than a Node proxy in front of moto: no second hop for
 *   every call and upload body, nothing to keep in step with SigV4 (which signs `Host`), and moto refuses a
 *   rebinding page whoever started it (tests and benches that start moto get it too). The port is not checked: a
 *   proxy on another loopback port (the fault tests', an SSH tunnel) must forward `Host` unchanged for SigV4.
 */
export const MOTO_LAUNCHER = [
  'import copy, functools, sys',
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
  '_write = threading.RLock()',
  'def _atomic(method):',
  '    def locked(self, *args, **kwargs):',
  '        with _write:',
  '            return method(self, *args, **kwargs)',
  '    return locked',
  'DynamoDBBackend.put_item = _atomic(DynamoDBBackend.put_item)',
  'DynamoDBBackend.update_item = _atomic(DynamoDBBackend.update_item)',
  'DynamoDBBackend.delete_item = _atomic(DynamoDBBackend.delete_item)',
  'DynamoDBBackend.transact_write_items = _atomic(DynamoDBBackend.transact_write_items)',
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
  'import json',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication',
  "_loopback = ('localhost', '127.0.0.1', '[::1]')",
  '_dispatch = DomainDispatcherApplication.__call__',
  'def _host_checked(self, environ, start_response):',
  "    host = environ.get('HTTP_HOST', '').lower()",
  "    name = host.rsplit(':', 1)[0] if host.rfind(':') > host.rfind(']') else host",
  "    if name in _loopback or name.endswith('.localhost'):",
  '        return _dispatch(self, environ, start_response)',
  "    shown = 'Host ' + json.dumps(host[:100]) if host else 'no Host header'",
  "    message = shown + ': the local emulator answers only localhost, 127.0.0.1, [::1] and *.localhost (a page elsewhere cannot reach it through DNS rebinding)'",
  "    body = json.dumps({'message': message}).encode()",
  "    start_response('421 Misdirected Request', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])",
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
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');
