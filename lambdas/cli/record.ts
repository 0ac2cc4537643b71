import type { LikelyResult } from '../search/likely';
import type { PublicImage } from '../store/image-view';

/**
 * What both subcommands print for each file: the API's image record (`GET /images/{id}`, see
 * `store/image-item.ts`) with the file it came from first. `upload` prints the API's record as it is; `analyze`
 * has no image id, bucket or timestamps, and its `thumbnails` map each size to the file written (the API's map it
 * to S3 keys). A file the command could not read, upload or wait for is FAILED, with `error` saying why.
 */
export type CliRecord = { file: string } & Pick<PublicImage, 'status'> &
  Partial<
    Pick<
      PublicImage,
      | 'imageId'
      | 'analysis'
      | 'vision'
      | 'visionError'
      | 'rejection'
      | 'error'
      | 'thumbnails'
      | 'position'
      | 'place'
      | 'provenance'
    >
  > & {
    /** The objects and labels a search finds the image by as likely (`GET /images/{id}` answers them too). */
    likely?: LikelyResult[];
    /** `analyze --faces`: how many faces were described as faceGrouping would, and why the others were not. */
    faceCounts?: { described: number; tooSmall: number; overCap: number };
  };

/** The error code of a file that could not be read at all. */
export const READ_FAILED = 'READ_FAILED';

/** The record of a file that could not be read. */
export function unreadable(file: string, error: unknown): CliRecord {
  const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
  return { file, status: 'FAILED', error: { code: READ_FAILED, message } };
}

/**
 * Exit codes: nothing rejected or failed, some file rejected or failed (for `smoke`, a step), the command line was
 * wrong, or (`smoke`) there was nothing to check: the stack or the API could not be found or read.
 */
export const EXIT = { ok: 0, someRejectedOrFailed: 1, usage: 2, noTarget: 3 } as const;

/** Counts the records of a run, for its exit code and the summary line on stderr. */
export class Tally {
  private files = 0;
  private processed = 0;
  private withoutVision = 0;
  private pending = 0;
  private rejected = 0;
  private unreadable = 0;
  private failed = 0;

  add(record: CliRecord): void {
    this.files++;
    if (record.status === 'PROCESSED') {
      this.processed++;
      if (record.visionError) this.withoutVision++;
    } else if (record.status === 'PENDING') this.pending++;
    else if (record.status === 'REJECTED') this.rejected++;
    else if (record.error?.code === READ_FAILED) this.unreadable++;
    else this.failed++;
  }

  /** Non-zero when any file was rejected, failed, could not be read, or lost its vision to an error. */
  get exitCode(): number {
    const bad = this.rejected + this.unreadable + this.failed + this.withoutVision;
    return bad > 0 ? EXIT.someRejectedOrFailed : EXIT.ok;
  }

  /** E.g. `6 files: 0 processed, 6 rejected (see each record's rejection)`; undefined when all went well. */
  summary(): string | undefined {
    if (this.exitCode === EXIT.ok) return undefined;
    const parts = [
      `${this.processed} processed${this.withoutVision > 0 ? ` (${this.withoutVision} without vision: see each record's visionError)` : ''}`,
    ];
    if (this.pending > 0) parts.push(`${this.pending} uploaded, not waited for`);
    if (this.rejected > 0) parts.push(`${this.rejected} rejected (see each record's rejection)`);
    if (this.unreadable > 0) parts.push(`${this.unreadable} could not be read (see each record's error)`);
    if (this.failed > 0) parts.push(`${this.failed} failed (see each record's error)`);
    return `${this.files} ${this.files === 1 ? 'file' : 'files'}: ${parts.join(', ')}`;
  }
}

/** The exit codes, as `--help` shows them. */
export const EXIT_HELP = `
Exit codes:
  0  every file was processed (upload --no-wait: uploaded)
  1  some file was rejected (see its "rejection"), could not be read or
     failed (see its "error"), or got no vision (see its "visionError");
     every file still gets its record, and a summary line goes to stderr
  2  usage error: no files, an unknown option or command, a bad value
`;
