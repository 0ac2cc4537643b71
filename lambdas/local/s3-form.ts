/**
 * A presigned POST's multipart body, read as it streams: its fields (which S3 wants before the file) are gathered
 * from the first bytes, so the policy can be checked before anything reaches the emulator, then the file's bytes are
 * counted, without being kept, up to the boundary that ends it. Only as much as a form's fields is ever held.
 */

/** More than a form of fields ever needs (S3 allows 20 KB of fields); a body whose file starts later is refused. */
const MAX_HEAD_BYTES = 64 * 1024;

export class FormError extends Error {
  override readonly name = 'FormError';
}

/** The boundary of a `multipart/form-data` content type, or undefined. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** The fields before the `file` part, and where in the bytes so far the file's content starts. */
export interface FormHead {
  fields: Record<string, string>;
  /** Offset of the file's first byte in all the bytes pushed. */
  fileStart: number;
  /** All the bytes pushed so far (the file's first bytes among them). */
  bytes: Buffer;
}

/** Gathers a form's leading fields until its `file` part begins. */
export class FormHeadReader {
  private buffered = Buffer.alloc(0);
  private readonly delimiter: Buffer;

  constructor(private readonly boundary: string) {
    this.delimiter = Buffer.from(`--${boundary}`);
  }

  /** Add bytes; the head once the file part has begun, undefined while more are needed. Throws FormError. */
  push(chunk: Buffer): FormHead | undefined {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const head = this.parse();
    if (!head && this.buffered.length > MAX_HEAD_BYTES) {
      throw new FormError(`no file part in the form's first ${MAX_HEAD_BYTES} bytes (S3 wants the file last)`);
    }
    return head;
  }

  private parse(): FormHead | undefined {
    const bytes = this.buffered;
    const first = bytes.indexOf(this.delimiter);
    if (first < 0) return undefined;
    const fields: Record<string, string> = {};
    let at = first + this.delimiter.length;
    for (;;) {
      if (bytes.length < at + 2) return undefined;
      if (bytes.subarray(at, at + 2).toString() === '--') throw new FormError('the form has no file part');
      const headersEnd = bytes.indexOf('\r\n\r\n', at);
      if (headersEnd < 0) return undefined;
      const name = partName(bytes.subarray(at, headersEnd).toString('utf8'));
      const contentStart = headersEnd + 4;
      if (name.toLowerCase() === 'file') return { fields, fileStart: contentStart, bytes };
      const end = bytes.indexOf(`\r\n--${this.boundary}`, contentStart);
      if (end < 0) return undefined;
      fields[name] = bytes.subarray(contentStart, end).toString('utf8');
      at = end + 2 + this.delimiter.length;
    }
  }
}

/** The part's name, from its Content-Disposition header. */
function partName(headers: string): string {
  const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  const match = disposition && /;\s*name="([^"]*)"/i.exec(disposition);
  if (!match) throw new FormError('a form part has no Content-Disposition name');
  return match[1] as string;
}

/** Counts a file part's bytes up to the boundary that ends it, holding only a boundary's length of them. */
export class FileCounter {
  private readonly end: Buffer;
  private carry = Buffer.alloc(0);
  private seen = 0;
  /** The file's size, once its end has been seen. */
  size: number | undefined;

  constructor(boundary: string) {
    this.end = Buffer.from(`\r\n--${boundary}`);
  }

  /** The bytes the file surely has so far (all of it once `size` is set). */
  get atLeast(): number {
    return this.size ?? this.seen - this.carry.length;
  }

  push(chunk: Buffer): void {
    if (this.size !== undefined) return;
    const combined = Buffer.concat([this.carry, chunk]);
    const start = this.seen - this.carry.length;
    const found = combined.indexOf(this.end);
    this.seen += chunk.length;
    if (found >= 0) {
      this.size = start + found;
      return;
    }
    this.carry = combined.subarray(Math.max(0, combined.length - (this.end.length - 1)));
  }
}
