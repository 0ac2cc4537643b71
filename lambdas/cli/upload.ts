import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, ImageApiClient } from './api-client';

export interface UploadFlags {
  api: string;
  apiKey?: string;
  token?: string;
  wait: boolean;
  timeout: number;
}

/**
 * Upload each file through the API (presigned POST), then, unless --no-wait, wait for its final record.
 * Prints one JSON line per file; resolves to true when every file ended PROCESSED.
 */
export async function uploadCommand(
  files: string[],
  flags: UploadFlags,
  out: (line: string) => void,
): Promise<boolean> {
  const client = new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  let allProcessed = true;
  for (const file of files) {
    try {
      const imageId = await client.upload(await readFile(file), { filename: path.basename(file) });
      if (!flags.wait) {
        out(JSON.stringify({ file, imageId, status: 'UPLOADED' }));
        continue;
      }
      const image = await client.waitForFinal(imageId, flags.timeout * 1000);
      allProcessed &&= image.status === 'PROCESSED';
      out(JSON.stringify({ file, ...image }));
    } catch (error) {
      allProcessed = false;
      const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
      out(JSON.stringify({ file, error: message }));
    }
  }
  return allProcessed;
}
