import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient, postToS3, type UploadTicket } from '../../../lambdas/cli/api-client';

/**
 * Every route and the render function exercised once, as a client would, so each function makes the calls it
 * makes in use: two uploads (one a copy, for duplicates and similarity), the record, the list with and without
 * filters (and as an admin), similar images, a label correction, a custom rendition rendered, served again and
 * fetched after its image is gone, the presets, a second version of an original, the deletes, and (as an admin) a
 * backfill re-analysing the uploads, started, listed and followed.
 */
export async function exerciseEveryRoute(
  apiUrl: string,
  auth: { apiKey?: string; bearerToken?: string },
  /** An admin's credentials, where the auth has admins: they list every owner's images. */
  admin?: { apiKey?: string; bearerToken?: string },
): Promise<void> {
  const api = new ImageApiClient(apiUrl, auth);
  // Big enough for thumbnails, so a small rendition is made from one.
  const [width, height] = [640, 427];
  const probe = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  const first = await api.upload(probe, { filename: 'probe.png' });
  const copy = await api.upload(probe, { filename: 'copy.png' });
  for (const id of [first, copy]) {
    const record = await api.waitForFinal(id);
    if (record.status !== 'PROCESSED') throw new Error(`${id} is ${record.status}: ${JSON.stringify(record)}`);
  }
  const view = await api.get(first);
  for (const lister of admin ? [api, new ImageApiClient(apiUrl, admin)] : [api]) {
    await lister.list();
    await lister.list({ status: 'PROCESSED' });
  }
  await api.list({ format: 'png' });
  await api.list({ label: 'nothing-here' });
  await api.call('GET', `/images/${first}/similar`);
  await api.call('PATCH', `/images/${first}/labels`, { add: ['Probe'] });
  await api.list({ label: 'probe' });
  const custom = await api.rendition(first, { w: 64, format: 'webp' });
  for (const url of [custom.url, custom.url, ...Object.values(view?.renditions ?? {}).map((r) => r.url)]) {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  }
  await replaceOriginal(api);
  await api.delete(copy);
  await api.delete(first);
  const gone = await fetch(custom.url);
  if (gone.status !== 404) throw new Error(`a deleted image's rendition answered ${gone.status}`);
  // Backfills are an admin's: with auth none every caller is one; with API keys the runner's key is not.
  const boss = admin ? new ImageApiClient(apiUrl, admin) : auth.apiKey ? undefined : api;
  if (boss) await reanalyseUploads(boss);
  else await refusedBackfills(api);
}

/** A caller who is no admin asks for backfills: the functions look them up and answer 403. */
async function refusedBackfills(api: ImageApiClient): Promise<void> {
  const asks: [string, string, unknown?][] = [
    ['POST', '/backfills', { bucket: 'any-bucket' }],
    ['GET', '/backfills'],
    ['GET', '/backfills/01JABCDEFGHJKMNPQRSTVWXYZ0'],
  ];
  for (const [method, path, body] of asks) {
    const answer = await api.call(method, path, body).then(
      () => 'allowed',
      (error: Error) => error.message,
    );
    if (!/: 403\b/.test(answer)) throw new Error(`${method} ${path} by a caller who is no admin: ${answer}`);
  }
}

/** Random pixels as an uncompressed PNG: every version the same size, as the upload URL's policy holds it to. */
function rawPng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/**
 * A second version of an original under the same id (its upload URL used again before it expires): processed
 * again, and the renditions of the first version, no longer served, deleted by the processor.
 */
async function replaceOriginal(api: ImageApiClient): Promise<void> {
  const first = await rawPng(320, 200);
  const ticket = (await api.call('POST', '/uploads', {
    contentType: 'image/png',
    size: first.length,
    filename: 'versions.png',
  })) as UploadTicket;
  await postToS3(ticket, first);
  const record = await api.waitForFinal(ticket.imageId);
  const rendition = await api.rendition(ticket.imageId, { w: 32, format: 'png' });
  await (await fetch(rendition.url)).arrayBuffer();
  await postToS3(ticket, await rawPng(320, 200));
  const deadline = Date.now() + 60_000;
  while ((await api.get(ticket.imageId))?.sha256 === record.sha256) {
    if (Date.now() > deadline) throw new Error(`the second version of ${ticket.imageId} was not processed`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await api.waitForFinal(ticket.imageId);
  await api.delete(ticket.imageId);
}

/** A re-analysis of the pipeline's own uploads, started, listed and followed to its end through the API. */
async function reanalyseUploads(api: ImageApiClient): Promise<void> {
  const { BucketName: bucket } = (await api.call('GET', '/_local/outputs')) as { BucketName: string };
  // Twice: the second start reads the first run (its input and counters) to check that it is done.
  for (let run = 0; run < 2; run++) {
    const started = (await api.call('POST', '/backfills', { bucket, prefix: 'uploads/', reprocess: true })) as {
      id: string;
    };
    await api.call('GET', '/backfills');
    const deadline = Date.now() + 60_000;
    while (!((await api.call('GET', `/backfills/${started.id}`)) as { done: boolean }).done) {
      if (Date.now() > deadline) throw new Error(`backfill ${started.id} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
