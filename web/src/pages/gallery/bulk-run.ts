import { ApiError, errorMessage } from '../../errors';

/*
 * A bulk action of the gallery: the API has no bulk route, so it is one request per image (`DELETE /images/{id}`,
 * `PATCH /images/{id}/labels`), a few at a time, each image's answer kept: done, already gone (404: nothing to do,
 * said but not alarming), or failed with the API's message.
 */

/** Requests in flight at once. */
export const BULK_PARALLEL = 4;

export interface BulkTarget {
  imageId: string;
  name: string;
}

export interface BulkRun {
  action: 'delete' | 'label' | 'archive' | 'unarchive' | 'lock';
  /** The labels added (action `label`). */
  labels: string[];
  total: number;
  /** Answered so far, any way. */
  settled: number;
  done: BulkTarget[];
  /** Answered 404: deleted meanwhile (or by an earlier try). */
  gone: BulkTarget[];
  failed: Array<BulkTarget & { message: string }>;
  /** The API refused the request itself (400): it would for every image, so the rest were not sent. */
  refused?: string;
  notSent: number;
  running: boolean;
}

/** Send `call` for each target, BULK_PARALLEL at a time, reporting after each answer; resolves with the outcome. */
export async function runBulk(
  action: BulkRun['action'],
  labels: string[],
  targets: BulkTarget[],
  call: (imageId: string) => Promise<unknown>,
  onProgress: (run: BulkRun) => void,
): Promise<BulkRun> {
  const run: BulkRun = {
    action,
    labels,
    total: targets.length,
    settled: 0,
    done: [],
    gone: [],
    failed: [],
    notSent: 0,
    running: true,
  };
  onProgress({ ...run });
  const waiting = [...targets];
  const worker = async () => {
    for (let target = waiting.shift(); target; target = waiting.shift()) {
      if (run.refused) {
        run.notSent++;
        continue;
      }
      try {
        await call(target.imageId);
        run.done.push(target);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) run.gone.push(target);
        else if (error instanceof ApiError && error.status === 400) run.refused = error.message;
        else run.failed.push({ ...target, message: errorMessage(error) });
      }
      run.settled++;
      onProgress({ ...run });
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_PARALLEL, targets.length) }, worker));
  run.running = false;
  onProgress({ ...run });
  return run;
}

const images = (count: number) => `${count} image${count === 1 ? '' : 's'}`;

/** What a run is doing or did, in a sentence. */
export function runInWords(run: BulkRun): string {
  const labels = run.labels.map((label) => `“${label}”`).join(', ');
  if (run.running) {
    if (run.action === 'delete')
      return `Moving ${images(run.total)} to the trash: ${run.settled} of ${run.total} answered.`;
    if (run.action === 'archive') return `Archiving ${images(run.total)}: ${run.settled} of ${run.total} answered.`;
    if (run.action === 'unarchive') return `Unarchiving ${images(run.total)}: ${run.settled} of ${run.total} answered.`;
    if (run.action === 'lock') return `Locking ${images(run.total)}: ${run.settled} of ${run.total} answered.`;
    return `Adding ${labels} to ${images(run.total)}: ${run.settled} of ${run.total} answered.`;
  }
  const parts = [
    run.action === 'delete'
      ? `Moved ${run.done.length} of ${images(run.total)} to the trash.`
      : run.action === 'archive'
        ? `Archived ${run.done.length} of ${images(run.total)}.`
        : run.action === 'unarchive'
          ? `Unarchived ${run.done.length} of ${images(run.total)}: back in the gallery.`
          : run.action === 'lock'
            ? `Moved ${run.done.length} of ${images(run.total)} to the locked folder.`
            : `Added ${labels} to ${run.done.length} of ${images(run.total)}.`,
  ];
  if (run.gone.length > 0) {
    const which =
      run.action === 'delete' ? 'had already been deleted' : `${run.gone.length === 1 ? 'is' : 'are'} no longer there`;
    parts.push(`${images(run.gone.length)} ${which} (the API answered 404): nothing to do.`);
  }
  if (run.failed.length > 0) parts.push(`${run.failed.length} failed: see below.`);
  if (run.refused) parts.push(`The API refused the request (${run.refused}); ${run.notSent} not sent.`);
  return parts.join(' ');
}
