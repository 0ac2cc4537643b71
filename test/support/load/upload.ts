import { type ImageApiClient, postToS3, type UploadTicket } from '../../../lambdas/cli/api-client';
import type { ImageStatus } from '../../../lambdas/store/image-item';

/** One upload of the load run (or of the latency bench's one-at-a-time phase). Times are ms since the run started. */
export interface UploadSample {
  index: number;
  phase: 'steady' | 'burst' | 'single';
  /** The fixture photo it was made from. */
  photo: string;
  imageId?: string;
  /** Before POST /uploads: the start of the upload-to-event latency. */
  startMs: number;
  /** POST /uploads answered. */
  ticketMs?: number;
  /** S3 accepted the presigned POST. */
  uploadedMs?: number;
  /** Why the upload itself failed (API or S3 refused it). */
  error?: string;
  /** Completion events heard for this image, in order of arrival. */
  events: { type: string; atMs: number }[];
  /** The record at the end, from GET /images/{id}. */
  status?: ImageStatus | 'NOT_FOUND';
}

/** The two steps a client makes, timed separately: ask for the presigned POST, then send the bytes to S3. */
export async function uploadOne(
  api: ImageApiClient,
  sample: UploadSample,
  bytes: Buffer,
  clock: () => number,
): Promise<void> {
  sample.startMs = clock();
  try {
    const ticket = (await api.call('POST', '/uploads', {
      contentType: 'image/jpeg',
      size: bytes.length,
      filename: sample.photo,
    })) as UploadTicket;
    sample.imageId = ticket.imageId;
    sample.ticketMs = clock();
    await postToS3(ticket, bytes);
    sample.uploadedMs = clock();
  } catch (error) {
    sample.error = (error as Error).message;
  }
}
