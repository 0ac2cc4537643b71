import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import type { WebConfig } from '../../config';
import { formatBytes, reasonInWords, sortedThumbnails } from '../../format';
import type { ImageDetail, UploadTicket } from '../../types';

/*
 * The uploads of this tab: each file refused here or presigned, sent to S3 with progress, then watched until the
 * pipeline is done with it. Kept outside the page component, so they go on while the user looks elsewhere.
 */

/**
 * A file's way through: refused here (too big, wrong type), or presigned (`POST /uploads`), sent to S3 with the
 * presigned POST, then watched (`GET /images/{id}`) until it is no longer PENDING. `data-status` on its row is this.
 * `duplicate`: the API said the user already has these bytes (nothing was stored) and the row asks Keep both or
 * Skip; `skipped`: they chose Skip.
 */
export type RowStatus =
  | 'refused'
  | 'waiting'
  | 'uploading'
  | 'PENDING'
  | 'PROCESSED'
  | 'REJECTED'
  | 'FAILED'
  | 'TRASHED'
  | 'duplicate'
  | 'skipped'
  | 'error';

export interface Row {
  key: number;
  file: File;
  contentType: string;
  status: RowStatus;
  loaded: number;
  imageId?: string;
  message?: string;
  /** The same bytes were uploaded before, as this image (the record's `duplicateOf`). */
  duplicateOf?: string;
  /** The user chose Keep both for a duplicate: sent again with `duplicates: "keep"`. */
  keep?: boolean;
  /** The tags typed when the file was chosen, sent with it (`tags` of `POST /uploads`). */
  tags: string[];
  /**
   * What the row shows of the picture: the local file (an object URL) until the pipeline is done with it, then its
   * smallest thumbnail, if it has one. The object URL is revoked once it is not shown any more.
   */
  preview?: string;
}

/** Uploads live outside the page, so they go on (and are shown again) when the user looks elsewhere meanwhile. */
let rows: Row[] = [];
let nextKey = 1;
const listeners = new Set<() => void>();
export function setRows(next: Row[]): void {
  rows = next;
  for (const listener of listeners) listener();
}
function update(key: number, patch: Partial<Row>): void {
  setRows(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
}
function revokePreview(row: Row | undefined): void {
  if (row?.preview?.startsWith('blob:')) URL.revokeObjectURL(row.preview);
}
export function useRows(): Row[] {
  const [current, setCurrent] = useState(rows);
  useEffect(() => {
    const listener = () => setCurrent(rows);
    listeners.add(listener);
    listener();
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return current;
}

/** At most this many files are presigned and sent at once; the rest wait their turn. */
const PARALLEL = 3;
let active = 0;
const queue: Array<() => void> = [];
async function inTurn<T>(task: () => Promise<T>): Promise<T> {
  if (active >= PARALLEL) await new Promise<void>((resolve) => queue.push(resolve));
  active++;
  try {
    return await task();
  } finally {
    active--;
    queue.shift()?.();
  }
}

const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
  heif: 'image/heif',
  jxl: 'image/jxl',
};

/** Camera RAW files by their extension, with the types the API knows them by (lambdas/settings/uploads.ts). */
export const RAW_BY_EXTENSION: Record<string, string> = {
  dng: 'image/x-adobe-dng',
  cr2: 'image/x-canon-cr2',
  cr3: 'image/x-canon-cr3',
  nef: 'image/x-nikon-nef',
  arw: 'image/x-sony-arw',
  raf: 'image/x-fuji-raf',
  orf: 'image/x-olympus-orf',
};

/**
 * The browser's type for the file, or, when it has none (HEIC on most systems), its extension's. A camera RAW's is
 * always its extension's: browsers type them each their own way (none, `image/x-dcraw`, `image/x-nikon-nef`...).
 */
function typeOf(file: File): string {
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  const raw = RAW_BY_EXTENSION[extension];
  if (raw) return raw;
  if (file.type) return file.type;
  return BY_EXTENSION[extension] ?? '';
}

/** What the file picker offers: the allowed types, and a camera RAW type's extension (browsers rarely know them). */
export function acceptList(allowedTypes: string[]): string {
  const extensions = Object.entries(RAW_BY_EXTENSION)
    .filter(([, type]) => allowedTypes.includes(type))
    .map(([extension]) => `.${extension}`);
  return [...allowedTypes, ...extensions].join(',') || 'image/*';
}

/** Why this file will not be sent, if it will not. */
function refusal(file: File, contentType: string, config: WebConfig): string | undefined {
  const isRaw = Object.values(RAW_BY_EXTENSION).includes(contentType);
  const most = isRaw ? config.maxRawUploadBytes : config.maxUploadBytes;
  if (file.size > most) {
    return `too big: ${formatBytes(file.size)}, the most is ${formatBytes(most)}`;
  }
  if (file.size === 0) return 'the file is empty';
  if (config.allowedTypes.length > 0 && !config.allowedTypes.includes(contentType)) {
    return `not an allowed type: ${contentType || 'unknown'} (allowed: ${config.allowedTypes.join(', ')})`;
  }
  return undefined;
}

/** The API keeps a file name of 1 to 255 characters without control characters; others are left out. */
function filenameFor(file: File): string | undefined {
  const name = file.name;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (!name || [...name].length > 255 || /[\u0000-\u001f\u007f-\u009f]/.test(name)) return undefined;
  return name;
}

/** S3's answer to a refused POST, in a sentence: its XML error's Code and Message. */
function storageError(xhr: XMLHttpRequest): string {
  const text = xhr.responseText || '';
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  const detail = [code, message].filter(Boolean).join(': ');
  const expired = xhr.status === 403 && /expired/i.test(text);
  return `storage refused the upload (HTTP ${xhr.status}${detail ? `, ${detail}` : ''})${
    expired ? ': the upload form expired' : ''
  }`;
}

/** The presigned POST: every field as given, the file last, with progress. */
function sendForm(upload: UploadTicket['upload'], file: File, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', upload.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.min(file.size, (event.loaded / event.total) * file.size));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new Error(storageError(xhr)));
    };
    xhr.onerror = () => reject(new Error('network error while sending the file to storage'));
    xhr.ontimeout = () => reject(new Error('sending the file to storage timed out'));
    xhr.onabort = () => reject(new Error('the upload was stopped'));
    xhr.send(form);
  });
}

const WATCH_FOR_MS = 10 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the record until the pipeline is done with it. */
async function watch(key: number, imageId: string): Promise<void> {
  const until = Date.now() + WATCH_FOR_MS;
  let wait = 750;
  while (Date.now() < until) {
    await sleep(wait);
    wait = Math.min(3000, wait * 1.5);
    if (!rows.some((row) => row.key === key)) return;
    let record: ImageDetail;
    try {
      record = await api.getImage(imageId);
    } catch {
      continue; // try again at the next turn
    }
    if (record.status !== 'PENDING') {
      revokePreview(rows.find((row) => row.key === key));
      update(key, {
        status: record.status,
        message: reasonInWords(record) || undefined,
        duplicateOf: record.duplicateOf,
        preview: sortedThumbnails(record.urls.thumbnails)[0]?.[1],
      });
      return;
    }
  }
  update(key, { message: 'still processing: it will show in the gallery when done' });
}

/**
 * The file's SHA-256 in hex, so the API can say "you already have it" before anything is sent; undefined where the
 * browser has no `crypto.subtle` (a page not served over HTTPS or localhost): the upload then goes as before.
 */
async function sha256Of(file: File): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function send(key: number): Promise<void> {
  const row = rows.find((candidate) => candidate.key === key);
  if (!row) return;
  update(key, { status: 'waiting', loaded: 0, message: undefined, imageId: undefined, duplicateOf: undefined });
  let imageId: string | undefined;
  try {
    imageId = await inTurn(async () => {
      const ticket = await api.createUpload({
        contentType: row.contentType,
        size: row.file.size,
        filename: filenameFor(row.file),
        tags: row.tags.length > 0 ? row.tags : undefined,
        sha256: await sha256Of(row.file),
        ...(row.keep && { duplicates: 'keep' as const }),
      });
      if ('duplicateOf' in ticket) {
        update(key, { status: 'duplicate', duplicateOf: ticket.duplicateOf });
        return undefined;
      }
      update(key, { status: 'uploading', imageId: ticket.imageId });
      await sendForm(ticket.upload, row.file, (loaded) => update(key, { loaded }));
      return ticket.imageId;
    });
  } catch (error) {
    update(key, { status: 'error', message: errorMessage(error) });
    return;
  }
  if (imageId === undefined) return;
  update(key, { status: 'PENDING', loaded: row.file.size });
  await watch(key, imageId);
}

/** What Chromium, Firefox and Safari all draw in an <img>: the rest (TIFF, HEIC) get no local preview. */
const DRAWABLE = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'];

/** Queue `files` for upload, each with `tags` (already checked: tags.ts). */
export function addFiles(files: Iterable<File>, config: WebConfig, tags: string[] = []): void {
  const added: Row[] = [];
  for (const file of files) {
    const contentType = typeOf(file);
    const refused = refusal(file, contentType, config);
    added.push({
      key: nextKey++,
      file,
      contentType,
      status: refused ? 'refused' : 'waiting',
      loaded: 0,
      message: refused,
      tags,
      preview: !refused && DRAWABLE.includes(contentType) ? URL.createObjectURL(file) : undefined,
    });
  }
  setRows([...rows, ...added]);
  for (const row of added) if (row.status !== 'refused') void send(row.key);
}

export const DONE: readonly RowStatus[] = ['refused', 'PROCESSED', 'REJECTED', 'FAILED', 'TRASHED', 'skipped'];

/** A duplicate's choice: Keep both sends it again past the check; Skip leaves nothing stored. */
export function resolveDuplicate(key: number, choice: 'keep' | 'skip'): void {
  if (choice === 'skip') {
    update(key, { status: 'skipped', message: 'nothing was uploaded' });
    return;
  }
  update(key, { keep: true });
  void send(key);
}

/** Forget the rows that will not change any more (sent and judged, or refused here). */
export function clearFinished(): void {
  for (const row of rows) if (DONE.includes(row.status)) revokePreview(row);
  setRows(rows.filter((row) => !DONE.includes(row.status)));
}
