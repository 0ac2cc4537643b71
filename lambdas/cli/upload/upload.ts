import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ImageApiClient } from '../api-client';
import { expandInputs } from '../inputs';
import { type CliRecord, EXIT, Tally, unreadable } from '../record';

export interface UploadFlags {
  api: string;
  apiKey?: string;
  token?: string;
  wait: boolean;
  timeout: number;
  /** `--tag`, repeatable. */
  tag?: string[];
  /** `--meta key=value`, repeatable, already split. */
  meta?: Record<string, string>;
  /** `--duplicates`: `skip` (the default) does not upload a file whose bytes the caller already has; `keep` does. */
  duplicates: 'skip' | 'keep';
}

/** What `upload` prints for a file it skipped: the caller already has its bytes, as `duplicateOf`. */
export interface SkippedRecord {
  file: string;
  skipped: 'duplicate';
  duplicateOf: string;
}

/**
 * `image-intel upload`: one record per file, the API's own, and the run's exit code.
 *
 * 1. Expand folders into files, as analyze does.
 * 2. Upload each file through the API (presigned POST), declaring its SHA-256: with `--duplicates skip` (the
 *    default) a file the caller already has is not uploaded, and its record says `skipped` and `duplicateOf`.
 * 3. Unless --no-wait, wait for its final record and print it; with --no-wait, print it PENDING.
 * 4. Unless every file was processed (or, with --no-wait, uploaded), say on stderr what happened to them.
 */
export async function uploadCommand(
  paths: string[],
  flags: UploadFlags,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const files = await expandInputs(paths);
  if (files.length === 0) {
    process.stderr.write('image-intel: no files found in the given folders\n');
    return EXIT.usage;
  }
  const client = new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  const tally = new Tally();
  let skipped = 0;
  for (const file of files) {
    const record = await uploadFile(client, file, flags);
    if ('skipped' in record) skipped++;
    else tally.add(record);
    out(JSON.stringify(record));
  }
  const summary = tally.summary();
  if (summary) process.stderr.write(`image-intel: ${summary}\n`);
  if (skipped > 0) {
    process.stderr.write(`image-intel: ${skipped} skipped: already uploaded (see each record's duplicateOf)\n`);
  }
  return tally.exitCode;
}

async function uploadFile(
  client: ImageApiClient,
  file: string,
  flags: UploadFlags,
): Promise<CliRecord | SkippedRecord> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return unreadable(file, error);
  }
  let imageId: string;
  try {
    const uploaded = await client.uploadUnlessDuplicate(bytes, {
      filename: path.basename(file),
      tags: flags.tag,
      metadata: flags.meta,
      duplicates: flags.duplicates,
    });
    if ('duplicateOf' in uploaded) return { file, skipped: 'duplicate', duplicateOf: uploaded.duplicateOf };
    imageId = uploaded.imageId;
  } catch (error) {
    return { file, status: 'FAILED', error: { code: 'UPLOAD_FAILED', message: messageOf(error) } };
  }
  if (!flags.wait) return { file, imageId, status: 'PENDING' };
  try {
    // The API's record as it is (its `analysis`, `vision`, `rejection`...), typed by the fields the tally reads.
    return { file, ...(await client.waitForFinal(imageId, flags.timeout * 1000)) } as CliRecord;
  } catch (error) {
    return { file, imageId, status: 'FAILED', error: { code: 'WAIT_FAILED', message: messageOf(error) } };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
