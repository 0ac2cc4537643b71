import { FILES } from './moto-snapshot-files';
import { GATE } from './moto-snapshot-gate';
import { KEEPER } from './moto-snapshot-keeper';
import { PICKLER } from './moto-snapshot-pickler';

/**
 * The library kept in a data folder (`npm start -- --data-dir`), run inside the launcher (moto-launcher.ts) when
 * `IMAGE_INTEL_DATA_DIR` names a folder. moto keeps every service in memory; its maintainers' advice for keeping it
 * is to pickle its backends, and that is what this does:
 * - A snapshot is one pickle of every backend moto has made (S3, DynamoDB, SQS, EventBridge, Step Functions,
 *   Secrets Manager, SSM, S3 Vectors...: whatever the runner used), taken with requests held at the door (a gate
 *   every request passes; an SQS long poll waits outside it) so it is consistent across services: an upload's
 *   object and its queued notice are in it together or not at all.
 * - S3 object bodies are not in the pickle: each is a file under `blobs/`, written once (by the first snapshot that
 *   finds the object) and named in the pickle, so a snapshot of 10,000 photos is their records, not their bytes,
 *   and a restored object is read from its file when asked for, not at start. A body no snapshot kept names any more
 *   is deleted after the next one.
 * - Written a few seconds after a change (IMAGE_INTEL_SNAPSHOT_SECONDS, 2 by default, and at least four times as
 *   long as the last snapshot took, so a big library is not frozen half the time), on SIGTERM (the runner stopping:
 *   Ctrl-C reaches the runner, which stops its consumers first; moto ignores it), and when the runner that started
 *   moto is gone (`kill -9` of `npm start`). A `kill -9` of moto itself loses what changed since the last one.
 * - Written as `snapshot.partial` (a JSON header line: format, runner and moto versions, length and SHA-256 of the
 *   rest), fsynced, then the current one renamed to `snapshot.previous` and the new one to `snapshot`. A snapshot
 *   whose length or checksum is wrong is never loaded: it is renamed `.damaged` and the previous one loaded.
 * - A snapshot of another format is refused (exit 78, with what to do): moto's classes change between versions and
 *   an unpickled object of an older shape fails later, far from its cause.
 * - Messages received but not deleted when the runner stopped are visible again at load, so what was in flight is
 *   processed again at once rather than after the visibility timeout.
 * - One runner per folder: moto holds an flock on `lock` (waiting up to 120 s for a runner still saving).
 */
/**
 * The snapshot format this runner writes and reads. Raise it when a change of moto (its classes are pickled as they
 * are) or of the program here (moto-snapshot-*.ts) makes an older snapshot unreadable: the runner then refuses one of
 * another format, saying so.
 */
export const SNAPSHOT_FORMAT = 1;

/**
 * The program moto-launcher.ts runs inside moto, in the order Python needs it: the settings read from the
 * environment, the gate, the pickler, the snapshot files, then the keeper, whose last lines start it all.
 */
export const MOTO_SNAPSHOTS = [
  [
    'import base64, contextlib, errno, fcntl, hashlib, io, json, os, pickle, re, signal, tempfile, time, uuid',
    'import moto',
    'from moto.core.base_backend import BackendDict',
    'from moto.s3.models import FakeKey',
    'from moto.moto_server.werkzeug_app import DomainDispatcherApplication as _PDispatcher',
    "_pdir = os.environ.get('IMAGE_INTEL_DATA_DIR')",
    "_pformat = int(os.environ.get('IMAGE_INTEL_SNAPSHOT_FORMAT', '1'))",
    "_prunner = os.environ.get('IMAGE_INTEL_RUNNER_VERSION', 'unknown')",
    "_pmin_gap = float(os.environ.get('IMAGE_INTEL_SNAPSHOT_SECONDS', '2'))",
    'def _pfail(message):',
    "    sys.stderr.write('image-intel data folder: ' + message + '\\n')",
    '    sys.stderr.flush()',
    '    os._exit(78)',
  ],
  GATE,
  PICKLER,
  FILES,
  KEEPER,
]
  .flat()
  .join('\n');
