/**
 * The door of a snapshot (moto-snapshots.ts): every request to moto passes a gate, which a snapshot closes, waiting
 * for the requests inside to finish (up to `timeout` seconds), so that what it pickles is consistent across services.
 * A request that writes marks the library dirty (`_pdirty`) as it leaves, which the keeper (moto-snapshot-keeper.ts)
 * waits for. An SQS long poll waits outside the gate: a receive of 20 s would otherwise hold every snapshot.
 *
 * A consumer's acknowledgement (DeleteMessage, ChangeMessageVisibility) only marks `_packed`: it takes no snapshot of
 * its own, and is kept by the next one, or the last one on stop. Lost to a `kill -9` of moto, its message is received
 * again after the restart, as an unacknowledged one would be, and the pipeline's handlers take a message twice. So a
 * scheduled message that changes nothing (the trash purge every start sends) holds no request for a snapshot.
 *
 * Until the runner says its start is done (a POST to PROVISIONED_PATH), writes do not mark it dirty: they are the
 * start's provisioning (tables, queues, rules, the signing secret...), which every start makes again, so a snapshot
 * of them would only hold the first requests while it pickles a library that did not change. Should the runner stop
 * before anything else changes, the next start provisions them again.
 */
/** Where the runner tells a data folder's moto that its start (its provisioning) is done. */
export const PROVISIONED_PATH = '/_image-intel/provisioned';

export const GATE = [
  'class _PGate:',
  '    def __init__(self):',
  '        self._cond = threading.Condition(threading.Lock())',
  '        self._active = 0',
  '        self._closing = False',
  '        self._inside = threading.local()',
  '    def enter(self):',
  '        with self._cond:',
  '            while self._closing:',
  '                self._cond.wait()',
  '            self._active += 1',
  '        self._inside.on = True',
  '    def leave(self):',
  '        self._inside.on = False',
  '        with self._cond:',
  '            self._active -= 1',
  '            if self._active == 0:',
  '                self._cond.notify_all()',
  '    def inside(self):',
  "        return getattr(self._inside, 'on', False)",
  '    def close(self, timeout):',
  '        deadline = time.monotonic() + timeout',
  '        with self._cond:',
  '            while self._closing:',
  '                self._cond.wait()',
  '            self._closing = True',
  '            while self._active:',
  '                left = deadline - time.monotonic()',
  '                if left <= 0:',
  '                    self._closing = False',
  '                    self._cond.notify_all()',
  '                    return False',
  '                self._cond.wait(left)',
  '        return True',
  '    def open(self):',
  '        with self._cond:',
  '            self._closing = False',
  '            self._cond.notify_all()',
  '_pgate = _PGate()',
  '_pdirty = threading.Event()',
  '_packed = threading.Event()',
  '_pprovisioning = threading.Event()',
  "_PREADS = ('Get', 'List', 'Describe', 'Query', 'Scan', 'BatchGet', 'TransactGet', 'Receive', 'Head')",
  "_PACKS = ('DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch')",
  'def _pkind(environ):',
  '    # None for a read, ack for a consumer acknowledging an SQS message, else change.',
  "    method = environ.get('REQUEST_METHOD', 'GET')",
  "    if method in ('GET', 'HEAD', 'OPTIONS'):",
  '        return None',
  "    target = environ.get('HTTP_X_AMZ_TARGET', '')",
  "    action = re.search(r'(?:^|&)Action=([A-Za-z]+)', environ.get('QUERY_STRING', ''))",
  "    name = target.rsplit('.', 1)[-1] if target else action.group(1) if action else None",
  '    if name is None:',
  "        return None if re.fullmatch(r'/(?:Get|List|Query)[A-Za-z]+', environ.get('PATH_INFO', '')) else 'change'",
  "    return None if name.startswith(_PREADS) else 'ack' if name in _PACKS else 'change'",
  '_pdispatch = _PDispatcher.__call__',
  'def _pgated(self, environ, start_response):',
  `    if environ.get('PATH_INFO') == '${PROVISIONED_PATH}' and environ.get('REQUEST_METHOD') == 'POST':`,
  '        _pprovisioning.clear()',
  "        start_response('204 No Content', [])",
  "        return [b'']",
  '    kind = None if _pprovisioning.is_set() else _pkind(environ)',
  '    _pgate.enter()',
  '    try:',
  '        return _pdispatch(self, environ, start_response)',
  '    finally:',
  '        _pgate.leave()',
  "        if kind == 'change':",
  '            _pdirty.set()',
  "        elif kind == 'ack':",
  '            _packed.set()',
  '_pwait = Queue.wait_for_messages',
  'def _pwait_outside(self, timeout):',
  '    if not _pgate.inside():',
  '        return _pwait(self, timeout)',
  '    _pgate.leave()',
  '    try:',
  '        return _pwait(self, timeout)',
  '    finally:',
  '        _pgate.enter()',
];
