import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../../lambdas/cli/api-client';

/**
 * Every route and the render function exercised once, as a client would, so each function makes the calls it
 * makes in use: two uploads (one a copy, for duplicates and similarity), the record, the list with and without
 * filters (and as an admin), similar images, a label correction, a custom rendition rendered, served again and
 * fetched after its image is gone, the presets, and the deletes.
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
  await api.delete(copy);
  await api.delete(first);
  const gone = await fetch(custom.url);
  if (gone.status !== 404) throw new Error(`a deleted image's rendition answered ${gone.status}`);
}
