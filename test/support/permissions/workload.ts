import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient, postToS3, type UploadTicket } from '../../../lambdas/cli/api-client';
import { gpsExifTags } from '../../../lambdas/core/analysis/exif';
import { fixture } from '../../fixtures';
import { WebhookReceiver } from '../webhook-receiver';

/** Basel, as a camera would write it: the workload's photos with GPS get a place. */
const BASEL = { latitude: 47.56, longitude: 7.59 };

/** Another owner the caller grants their library to (`owner`, signed in with `bearerToken`); `grantor`: the caller. */
export interface Partner {
  owner: string;
  bearerToken: string;
  grantor: string;
}

/**
 * Every route and the render function exercised once, as a client would, so each function makes the calls it
 * makes in use: two uploads (one a copy, for duplicates and similarity), the record, the list with and without
 * filters (and as an admin), similar images, a label correction, a custom rendition rendered, served again and
 * fetched after its image is gone, the presets, a place corrected, reset and listed, a second version of an original,
 * (as an admin) a re-own, the deletes, and (as an admin) a backfill re-analysing the uploads, started, listed and followed; with face grouping,
 * the people routes too.
 */
export async function exerciseEveryRoute(
  apiUrl: string,
  auth: { apiKey?: string; bearerToken?: string },
  options: {
    /** An admin's credentials, where the auth has admins: they list every owner's images. */
    admin?: { apiKey?: string; bearerToken?: string };
    /** The runner groups faces (`--face-grouping`): its people routes are exercised too. */
    faceGrouping?: boolean;
    /**
     * Another owner, not an admin, where the auth has users: granted the caller's library, they read it as a partner.
     * Without one, the grants are made, listed and revoked to an owner no one signs in as.
     */
    partner?: Partner;
    /**
     * Resolves once the processor is done with every message: the last thing it does for a second version, after
     * the record and the event, is delete the first version's renditions, which no answer of the API shows.
     */
    settled: () => Promise<void>;
  },
): Promise<void> {
  const { admin, faceGrouping = false } = options;
  const api = new ImageApiClient(apiUrl, auth);
  // Before the uploads, so their events reach it: its first attempt fails, so the next is queued.
  const receiver = new WebhookReceiver((n) => (n === 1 ? 500 : 204));
  const hook = (await api.call('POST', '/webhooks', { url: await receiver.start() })) as {
    endpoint: { endpointId: string };
  };
  // A policy that blurs whatever the offline models see (a threshold of 0): the processor reads it, stores the
  // thumbnails blurred and no eager rendition; the render function blurs (without vision: no effect).
  // An owner other files share (auth none, one API key) gets one that never acts: their images are not this file's.
  const rule = admin ? { threshold: 0, action: 'blur' } : { threshold: 1, action: 'flag' };
  await api.call('GET', '/policy');
  await api.call('PUT', '/policy', { rules: [{ category: 'Suggestive', ...rule }] });
  // Big enough for thumbnails, so a small rendition is made from one; with GPS, so every index writer counts its
  // place (a transaction of its posting and counter: search/place-counts.ts).
  const [width, height] = [640, 427];
  const probe = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .withExif({ IFD3: gpsExifTags(BASEL) })
    .png()
    .toBuffer();
  const first = await api.upload(probe, { filename: 'probe.png' });
  const copy = await api.upload(probe, { filename: 'copy.png' });
  for (const id of [first, copy]) {
    const record = await api.waitForFinal(id);
    if (record.status !== 'PROCESSED') throw new Error(`${id} is ${record.status}: ${JSON.stringify(record)}`);
  }
  const view = await api.get(first);
  // The same bytes again, their hash given: the upload answers duplicateOf and stores nothing (byOwnerSha256).
  const sha256 = createHash('sha256').update(probe).digest('hex');
  await api.call('POST', '/uploads', { contentType: 'image/png', size: probe.length, sha256 });
  for (const lister of admin ? [api, new ImageApiClient(apiUrl, admin)] : [api]) {
    await lister.list();
    await lister.list({ status: 'PROCESSED' });
  }
  // The owner's timeline (byOwnerTakenSharded).
  await api.list({ sort: 'taken' });
  await api.list({ format: 'png' });
  await api.list({ label: 'nothing-here' });
  await api.call('GET', `/images/${first}/similar`);
  await api.call('PATCH', `/images/${first}/labels`, { add: ['Probe'] });
  await api.list({ label: 'probe' });
  // An owner's edits: tags, the date taken (the timeline key moves) and back, a favourite, each searched after; the
  // archive and back; a rotation.
  await api.call('PATCH', `/images/${first}/tags`, { add: ['Probe tag'] });
  await api.list({ tag: 'probe tag' });
  await api.call('PUT', `/images/${first}/taken`, { takenAt: '2001-02-03T04:05:06+01:00' });
  await api.call('DELETE', `/images/${first}/taken`);
  await api.call('PUT', `/images/${first}/favourite`, { favourite: true });
  await api.list({ favourite: 'true' });
  // Archived (its list keys move to the archive's partitions), listed there, and back in the timeline.
  await api.call('PUT', `/images/${first}/archived`, { archived: true });
  await api.list({ archived: 'true' });
  await api.call('PUT', `/images/${first}/archived`, { archived: false });
  // The locked folder: a PIN, asked whether set, changed (its current one tried first), a lock (its postings out), an
  // unlock token, the folder listed and the photo read with it (the token's PIN version read), and back out of it.
  await api.call('PUT', '/locked/pin', { pin: '2468' });
  await api.call('GET', '/locked/pin');
  await api.call('PUT', '/locked/pin', { pin: '1357', current: '2468' });
  await api.call('PUT', `/images/${first}/locked`, { locked: true });
  const { token } = (await api.call('POST', '/locked/unlock', { pin: '1357' })) as { token: string };
  const unlocked = new ImageApiClient(apiUrl, { ...auth, unlockToken: token });
  await unlocked.list({ locked: 'true' });
  await unlocked.call('GET', `/images/${first}`);
  await api.call('PUT', `/images/${first}/locked`, { locked: false });
  // A rotation and a crop send the image to the processor to be made again, turned and cut: each done before the next
  // edit reads it; the crop taken away again.
  await api.call('PUT', `/images/${first}/rotation`, { degrees: 90 });
  await options.settled();
  await api.call('PUT', `/images/${first}/crop`, { left: 0, top: 0, width: 0.5, height: 1 });
  await options.settled();
  await api.call('DELETE', `/images/${first}/crop`);
  await options.settled();
  // Where it was taken: a position of the owner's (named from the places data), the places listed and searched,
  // then back to the photo's GPS.
  await api.call('PUT', `/images/${first}/place`, { position: { latitude: 47.5947, longitude: 7.6208 } });
  await api.call('GET', '/places');
  await api.call('GET', '/places/suggestions?q=weil');
  await api.list({ place: 'weil am rhein' });
  await api.call('DELETE', `/images/${first}/place`);
  const custom = await api.rendition(first, { w: 64, format: 'webp' });
  for (const url of [custom.url, custom.url, ...Object.values(view?.renditions ?? {}).map((r) => r.url)]) {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  }
  await replaceOriginal(api, options.settled);
  await exerciseAlbums(api, first, copy);
  await exerciseAlbumMembers(api, admin && new ImageApiClient(apiUrl, admin), first, view?.owner as string);
  await exercisePartners(apiUrl, api, first, options.partner);
  const saver = options.partner ? { bearerToken: options.partner.bearerToken, other: true } : { ...auth, other: false };
  await exerciseShares(apiUrl, api, first, copy, saver);
  await exerciseWebhooks(api, hook.endpoint.endpointId, receiver).finally(() => receiver.stop());
  await exerciseStacks(api, first, copy, options.settled);
  await exerciseLivePhotos(api, options.settled);
  const faces = faceGrouping ? await exercisePeople(api) : [];
  await exerciseDuplicates(api, probe);
  // Backfills and re-owns are an admin's: with auth none every caller is one; with API keys the runner's key is not.
  const boss = admin ? new ImageApiClient(apiUrl, admin) : auth.apiKey ? undefined : api;
  if (boss) await reown(boss, copy);
  // An admin deletes the re-owned copy: it is no longer the uploader's.
  await (boss ?? api).delete(copy, { permanently: true });
  // The trash: a move, a restore, a move again, then the trash emptied: the purge function deletes the image as
  // delete-image does, renditions included.
  await api.delete(first);
  await api.call('POST', `/images/${first}/restore`);
  await api.delete(first);
  await api.call('POST', '/trash/empty');
  await purged(custom.url);
  // One image of the workload's own: the faces' (regrouped), else one gone by now (a run that finds nothing).
  if (boss) await reanalyseUploads(boss, faces[0] ?? first, faceGrouping);
  else await refusedBackfills(api);
  // Last, so the backfill regrouped them first: their faces leave their people with them.
  for (const id of faces) await api.delete(id, { permanently: true });
}

/** A frame of a burst: one scene (a gradient with a bar moved a little), with a camera's EXIF and sub-seconds. */
async function burstFrame(index: number): Promise<Buffer> {
  const [width, height] = [96, 64];
  const pixels = Buffer.alloc(width * height * 3);
  for (let at = 0; at < width * height; at++) {
    const [x, y] = [at % width, Math.floor(at / width)];
    const bar = x >= 30 + index && x < 44 + index;
    pixels.set(bar ? [240, 220, 90] : [(x * 2) % 256, (y * 3) % 256, 90], at * 3);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Probe', Model: 'Burst' },
      IFD2: { DateTimeOriginal: '2026:05:01 10:00:00', SubSecTimeOriginal: String(100 + index * 300) },
    })
    .toBuffer();
}

/**
 * The stacks: a burst stacked as it arrives (the processor's postings, its neighbours' queries, a stack made, then
 * read and joined by a third frame); a stack made by hand, read, its primary changed, then archived (the other frame
 * leads again) and brought back (its frames re-owned and deleted later, with it); frames locked out of a stack of three and of two (a stack put again, then deleted) and
 * unlocked; a stack unstacked; a frame moved to the trash (its stack of two deleted) and restored.
 */
async function exerciseStacks(api: ImageApiClient, first: string, copy: string, settled: () => Promise<void>) {
  const frames: string[] = [];
  for (const index of [0, 1, 2]) {
    frames.push(await api.upload(await burstFrame(index), { filename: `burst-${index}.jpg` }));
    if (index > 0) await settled();
  }
  const [one, two, three] = frames as [string, string, string];
  const made = (await api.call('POST', '/stacks', { imageIds: [first, copy], primary: copy })) as { stackId: string };
  await api.call('GET', `/stacks/${made.stackId}`);
  await api.call('PUT', `/stacks/${made.stackId}/primary`, { imageId: first });
  // The primary archived: it hands its place back to the other frame (the archive's hook), then comes back.
  await api.call('PUT', `/images/${first}/archived`, { archived: true });
  await api.call('PUT', `/images/${first}/archived`, { archived: false });
  await api.list({ stacked: 'expand' } as never);
  for (const id of [three, two]) await api.call('PUT', `/images/${id}/locked`, { locked: true });
  for (const id of [three, two]) await api.call('PUT', `/images/${id}/locked`, { locked: false });
  const undone = (await api.call('POST', '/stacks', { imageIds: [two, three] })) as { stackId: string };
  await api.call('DELETE', `/stacks/${undone.stackId}`);
  await api.call('POST', '/stacks', { imageIds: [one, two] });
  await api.delete(one);
  await api.call('POST', `/images/${one}/restore`);
}

/**
 * A Live Photo (lambdas/live): its MOV first (kept aside, posted, its name read, its upload record deleted), then its
 * still (posted, the MOV found, the record's motion set, the MOV told); the still deleted for good takes the MOV
 * (its item read, its object, item and postings deleted).
 */
async function exerciseLivePhotos(api: ImageApiClient, settled: () => Promise<void>): Promise<void> {
  await api.upload(fixture('motion/IMG_0001.MOV'), { filename: 'IMG_0001.MOV', contentType: 'video/quicktime' });
  await settled();
  const still = await api.upload(fixture('motion/IMG_0001.JPG'), { filename: 'IMG_0001.JPG' });
  await settled();
  await api.delete(still, { permanently: true });
}

/**
 * Every album route: an album filled, its cover set (from then on each answer links it), read in both orders, listed,
 * found from its image, emptied and deleted (its member left deleted by delete-album-members, from its queue); a smart
 * album read (its search); and an album left holding both images, listed without a cover in each order (its newest
 * image shown), so that each purge (delete-image, then purge-trash) takes its membership out.
 */
async function exerciseAlbums(api: ImageApiClient, first: string, copy: string): Promise<void> {
  const album = (await api.call('POST', '/albums', { name: 'Probe' })) as { albumId: string };
  const path = `/albums/${album.albumId}`;
  await api.call('POST', `${path}/images`, { imageIds: [first] });
  await api.call('PATCH', path, { coverImageId: first });
  await api.call('POST', `${path}/images`, { imageIds: [copy] });
  await api.call('GET', path);
  await api.call('PATCH', path, { order: 'taken' });
  await api.call('GET', path);
  await api.call('GET', '/albums');
  await api.call('GET', `/images/${first}/albums`);
  await api.call('DELETE', `${path}/images`, { imageIds: [copy] });
  await api.call('DELETE', path);
  const smart = (await api.call('POST', '/albums', { name: 'Probe tag', smart: { tag: ['probe tag'] } })) as {
    albumId: string;
  };
  await api.call('GET', `/albums/${smart.albumId}`);
  const kept = (await api.call('POST', '/albums', { name: 'Kept' })) as { albumId: string };
  await api.call('POST', `/albums/${kept.albumId}/images`, { imageIds: [first, copy] });
  // Kept has no cover: listed, it shows its newest image in each order (its first member and that image's record).
  await api.call('GET', '/albums');
  await api.call('PATCH', `/albums/${kept.albumId}`, { order: 'taken' });
  await api.call('GET', '/albums');
}

/**
 * Album members: with an admin (another owner: jwt), the admin's album shared with the caller as a contributor, who
 * finds it among those shared with them (their index, then the albums by key), reads it, adds their own photo and
 * takes it out, and is taken off; without one (every caller the same owner), an album shared with an owner by name,
 * read with its members, and taken off.
 */
async function exerciseAlbumMembers(
  api: ImageApiClient,
  admin: ImageApiClient | undefined,
  first: string,
  owner: string,
): Promise<void> {
  const sharer = admin ?? api;
  const member = admin ? owner : 'probe-friend';
  const album = (await sharer.call('POST', '/albums', { name: 'Probe shared' })) as { albumId: string };
  const path = `/albums/${album.albumId}`;
  await sharer.call('PUT', `${path}/members/${member}`, { role: admin ? 'contributor' : 'viewer' });
  await sharer.call('GET', path);
  await api.call('GET', '/albums?shared=true');
  if (admin) {
    await api.call('GET', path);
    await api.call('POST', `${path}/images`, { imageIds: [first] });
    await api.call('DELETE', `${path}/images`, { imageIds: [first] });
  }
  await sharer.call('DELETE', `${path}/members/${member}`);
  await sharer.call('DELETE', path);
}

/**
 * Near-duplicates: `first` and `copy` (the same bytes) are a cluster since they arrived; a third copy joins it, is
 * tagged, put in an album and given a place, then resolved away (its edits carried to the photos kept, itself trashed
 * and purged with the trash); a fourth makes a cluster again, which is dismissed, and is deleted.
 */
async function exerciseDuplicates(api: ImageApiClient, probe: Buffer): Promise<void> {
  const upload = async (filename: string) => {
    const id = await api.upload(probe, { filename });
    const record = await api.waitForFinal(id);
    if (record.status !== 'PROCESSED') throw new Error(`${id} is ${record.status}: ${JSON.stringify(record)}`);
    return id;
  };
  // A photo is clustered just after its record is stored (the step's phase): PROCESSED may be read a moment before.
  const clusterOf = async (imageId: string) => {
    for (let tries = 0; ; tries++) {
      const { items } = (await api.call('GET', '/duplicates')) as {
        items: { clusterId: string; members: { imageId: string }[] }[];
      };
      const cluster = items.find((item) => item.members.some((member) => member.imageId === imageId));
      if (cluster) {
        const others = cluster.members.map((member) => member.imageId).filter((id) => id !== imageId);
        return { clusterId: cluster.clusterId, others };
      }
      if (tries >= 60) throw new Error(`${imageId} is in no cluster: ${JSON.stringify(items)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const third = await upload('third.png');
  await api.call('PATCH', `/images/${third}/tags`, { add: ['Probe copy'] });
  const album = (await api.call('POST', '/albums', { name: 'Copies' })) as { albumId: string };
  await api.call('POST', `/albums/${album.albumId}/images`, { imageIds: [third] });
  await api.call('PUT', `/images/${third}/place`, { position: { latitude: 47.5947, longitude: 7.6208 } });
  // Kept: the photos it joined (`first` and its copy, unless another version of `first` is no longer near them).
  const { clusterId, others } = await clusterOf(third);
  await api.call('POST', `/duplicates/${clusterId}/resolve`, { keep: others, trash: [third] });
  for (const kept of others) await api.call('DELETE', `/images/${kept}/place`);
  await api.call('DELETE', `/albums/${album.albumId}`);
  const fourth = await upload('fourth.png');
  await api.call('POST', `/duplicates/${(await clusterOf(fourth)).clusterId}/dismiss`);
  await api.delete(fourth, { permanently: true });
}

/**
 * Partners: the caller's library granted, listed as granted, read by the partner (their list of it, every grantor's
 * merged, merged into their own timeline, the photo by id; the grantor's places), narrowed to an album and read again (the album's taken order; the photo's albums), and
 * revoked.
 */
async function exercisePartners(
  apiUrl: string,
  api: ImageApiClient,
  first: string,
  partner: Partner | undefined,
): Promise<void> {
  const owner = partner?.owner ?? 'probe-partner';
  const reader = partner && new ImageApiClient(apiUrl, { bearerToken: partner.bearerToken });
  const album = (await api.call('POST', '/albums', { name: 'Partner' })) as { albumId: string };
  await api.call('POST', `/albums/${album.albumId}/images`, { imageIds: [first] });
  await api.call('POST', '/partners', { partner: owner });
  await api.call('GET', '/partners');
  const reads = async () => {
    if (!reader || !partner) return;
    await reader.list({ partner: partner.grantor });
    await reader.list({ partners: 'all' });
    await reader.list({ partners: 'include' });
    await reader.call('GET', `/images/${first}`);
  };
  await reads();
  // A whole library's places (a grant of albums has none: a 400 after the grant is read).
  if (reader && partner) await reader.call('GET', `/places?partner=${encodeURIComponent(partner.grantor)}`);
  await api.call('POST', '/partners', { partner: owner, albums: [album.albumId] });
  await reads();
  await api.call('DELETE', `/partners/${owner}`);
}

/** A share link opened as anyone would: signed out, with its password if it is given one; what it answered. */
async function openShared(
  apiUrl: string,
  token: string,
  password?: string,
): Promise<{ status: number; items: { id: string; thumbnailUrl: string; downloadUrl?: string }[] }> {
  const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/shared/${token}`, {
    headers: password === undefined ? {} : { 'x-share-password': password },
  });
  const body = (await response.json().catch(() => ({}))) as {
    items?: { id: string; thumbnailUrl: string; downloadUrl?: string }[];
  };
  return { status: response.status, items: body.items ?? [] };
}

/** A link's photo saved by a signed-in caller (with the link's password if it is given one): the answer's status. */
async function saveSharedPhoto(
  apiUrl: string,
  saver: { apiKey?: string; bearerToken?: string },
  token: string,
  photo: string,
  password?: string,
): Promise<number> {
  const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/shared/${token}/save`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(saver.apiKey !== undefined && { 'x-api-key': saver.apiKey }),
      ...(saver.bearerToken !== undefined && { authorization: `Bearer ${saver.bearerToken}` }),
      ...(password !== undefined && { 'x-share-password': password }),
    },
    body: JSON.stringify({ photo }),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Every share route: a photo's link, protected and with downloads, opened with a wrong password (counted) and the
 * right one (a view counted), then its rendition and its original fetched (the render function reads the link, and
 * presigns the original); an album's link opened in each order and a smart album's (its search, its page kept); the
 * links listed; one revoked by its token, one by its shareId (found among the owner's). A photo of each link saved by
 * `saver`: another owner where the auth has one (the photo's original copied within S3, the album's read and put
 * without its GPS, each a PENDING record the processor analyses), else the caller, whose own photo is a 409.
 */
async function exerciseShares(
  apiUrl: string,
  api: ImageApiClient,
  first: string,
  copy: string,
  saver: { apiKey?: string; bearerToken?: string; other: boolean },
): Promise<void> {
  const savedAs = saver.other ? 202 : 409;
  const made = async (path: string, body: Record<string, unknown> = {}) =>
    (await api.call('POST', `${path}/shares`, body)) as { token: string; share: { shareId: string } };
  const share = async (path: string, body: Record<string, unknown> = {}) => (await made(path, body)).token;
  const photo = await share(`/images/${first}`, { password: 'probe password', allowDownload: true });
  if ((await openShared(apiUrl, photo, 'not the password')).status !== 401) {
    throw new Error('a wrong password opened a link');
  }
  const opened = await openShared(apiUrl, photo, 'probe password');
  const item = opened.items[0];
  if (opened.status !== 200 || !item?.downloadUrl) throw new Error('the password opened no link, or no original');
  for (const url of [item.thumbnailUrl, item.downloadUrl]) {
    const answer = await fetch(url, { redirect: 'manual' });
    await answer.arrayBuffer();
    if (answer.status >= 400) throw new Error(`a shared photo's URL answered ${answer.status}`);
  }
  const saved = await saveSharedPhoto(apiUrl, saver, photo, item.id, 'probe password');
  if (saved !== savedAs) throw new Error(`saving a shared photo answered ${saved}, not ${savedAs}`);
  const album = (await api.call('POST', '/albums', { name: 'Shared', order: 'taken' })) as { albumId: string };
  await api.call('POST', `/albums/${album.albumId}/images`, { imageIds: [first, copy] });
  const albumLink = await made(`/albums/${album.albumId}`);
  const albumPage = await openShared(apiUrl, albumLink.token);
  const fromAlbum = await saveSharedPhoto(apiUrl, saver, albumLink.token, albumPage.items[0]?.id ?? '');
  if (fromAlbum !== savedAs) throw new Error(`saving an album link's photo answered ${fromAlbum}, not ${savedAs}`);
  await api.call('PATCH', `/albums/${album.albumId}`, { order: 'added' });
  await openShared(apiUrl, albumLink.token);
  const smart = (await api.call('POST', '/albums', { name: 'Shared tag', smart: { tag: ['probe tag'] } })) as {
    albumId: string;
  };
  await openShared(apiUrl, await share(`/albums/${smart.albumId}`));
  await api.call('GET', '/shares');
  await api.call('DELETE', `/shares/${photo}`);
  await api.call('DELETE', `/shares/${albumLink.share.shareId}`);
  for (const id of [album.albumId, smart.albumId]) await api.call('DELETE', `/albums/${id}`);
}

/** Wait until a purged image's rendition answers 404 (the purge runs off the trash queue, within seconds). */
async function purged(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await fetch(url);
    if (status === 404) return;
    if (Date.now() > deadline) throw new Error(`a purged image's rendition still answered ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Three photos of two people (the second a copy of the first made different as photos of one face are, so its face
 * joins the first's person), grouped; the people listed, read, one named and the other merged into it; its images
 * listed and each photo read with its people's names; then corrected: suggestions, a dismissal, hidden and shown,
 * a face taken out, the person deleted. Answers the photos, for the caller to delete.
 */
async function exercisePeople(api: ImageApiClient): Promise<string[]> {
  const astronaut = fixture('vision/person-astronaut.jpg');
  const copy = await sharp(astronaut)
    .extract({ left: 24, top: 8, width: 440, height: 470 })
    .resize({ width: 360 })
    .modulate({ brightness: 1.2 })
    .jpeg({ quality: 80 })
    .toBuffer();
  const photos: string[] = [];
  // One after the other: each photo's person is founded before the next is grouped.
  for (const [name, bytes] of [
    ['astronaut.jpg', astronaut],
    ['astronaut-copy.jpg', copy],
    // With GPS: taking its face out of a person re-indexes a photo with a place (remove-person-faces' transaction).
    [
      'hopper.jpg',
      await sharp(fixture('vision/person-hopper.jpg'))
        .withExif({ IFD3: gpsExifTags(BASEL) })
        .jpeg({ quality: 95 })
        .toBuffer(),
    ],
  ] as const) {
    const id = await api.upload(bytes, { filename: name });
    const record = await api.waitForFinal(id, 120_000);
    if (record.status !== 'PROCESSED') throw new Error(`${name} is ${record.status}: ${JSON.stringify(record)}`);
    photos.push(id);
  }
  const page = (await api.call('GET', '/people')) as { items: { personId: string }[] };
  const [kept, merged] = page.items.map((person) => person.personId);
  if (!kept || !merged) throw new Error(`photos of two people made ${page.items.length}: ${JSON.stringify(page)}`);
  // Its cover's photo in the trash (as a locked one): each route shows its next face, read by person (shown-covers.ts).
  const cover = ((await api.call('GET', `/people/${kept}`)) as { cover: { imageId: string } }).cover.imageId;
  await api.delete(cover);
  await api.call('GET', '/people');
  await api.call('GET', `/people/${kept}`);
  await api.call('POST', `/images/${cover}/restore`);
  // The corrections (docs/people.md): suggestions read, one dismissed, a person hidden and shown again.
  await api.call('GET', '/people/suggestions');
  await api.call('POST', '/people/suggestions/dismiss', { personIds: [kept, merged] });
  await api.call('PATCH', `/people/${merged}`, { hidden: true });
  await api.call('GET', '/people?hidden=true');
  await api.call('PATCH', `/people/${merged}`, { hidden: false });
  await api.call('PATCH', `/people/${kept}`, { name: 'Probe' });
  await api.call('POST', `/people/${kept}/merge`, { personIds: [merged] });
  await api.list({ person: kept });
  // The search box: its word reads the people filed under the name's prefix, then each of them.
  await api.list({ q: 'probe' });
  // A smart album of the same search runs it as GET /images does: the person, and the people a word names.
  const smart = (await api.call('POST', '/albums', { name: 'Probe', smart: { person: kept, q: 'probe' } })) as {
    albumId: string;
  };
  await api.call('GET', `/albums/${smart.albumId}`);
  // Its link opens the same search, as the album's owner (GET /shared/{token} takes no credential; this one's is unread).
  const link = (await api.call('POST', `/albums/${smart.albumId}/shares`, {})) as { token: string };
  await api.call('GET', `/shared/${link.token}`);
  await api.call('DELETE', `/albums/${smart.albumId}`);
  for (const id of photos) await api.get(id);
  // Not this person: Hopper's face out of the merged person (its record and postings follow); then it is deleted.
  await api.call('DELETE', `/people/${kept}/images/${photos[2]}`);
  // Faces given by their owner, on Hopper's photo (with a place: its postings' transaction): her unassigned face to a
  // new person by name, a face drawn into that person (numbered after reading the photo's faces), then both given to
  // the kept person: the first its cover (the next face read), the second its last (it is deleted). The astronaut's
  // face is left to the grouping, which the re-cluster below regroups.
  const probe = (await api.call('PUT', `/images/${photos[2]}/faces/0`, { name: 'Probe two' })) as {
    person: { personId: string };
  };
  const box = { left: 0.7, top: 0.6, width: 0.2, height: 0.2 };
  const drawn = (await api.call('POST', `/images/${photos[2]}/faces`, { box, personId: probe.person.personId })) as {
    face: number;
  };
  await api.call('PUT', `/images/${photos[2]}/faces/0`, { personId: kept });
  await api.call('PUT', `/images/${photos[2]}/faces/${drawn.face}`, { personId: kept });
  // The copy deleted for good while its face is in the person: the person read and its count updated.
  await api.delete(photos[1] as string, { permanently: true });
  await api.call('DELETE', `/people/${kept}`);
  return [photos[0] as string, photos[2] as string];
}

/**
 * Every webhook route, and the delivery function's paths: a delivery retried, one replayed by id and a range
 * replayed, after a rotation; the endpoint deleted last.
 */
async function exerciseWebhooks(api: ImageApiClient, endpointId: string, receiver: WebhookReceiver): Promise<void> {
  const [first] = await receiver.waitFor(2, () => true, 60_000);
  const path = `/webhooks/${endpointId}`;
  await api.call('GET', '/webhooks');
  await api.call('GET', path);
  await api.call('PATCH', path, { description: 'probe' });
  await api.call('POST', `${path}/rotate-secret`);
  await api.call('GET', `${path}/deliveries`);
  const got = receiver.received.length;
  await api.call('POST', `${path}/replay`, { webhookId: first?.headers['webhook-id'] });
  await api.call('POST', `${path}/replay`, {
    from: new Date(Date.now() - 3_600_000).toISOString(),
    to: new Date().toISOString(),
  });
  await receiver.waitFor(got + 2, () => true, 60_000);
  await api.call('DELETE', path);
}

/** An admin gives an image another owner, and it is theirs once the processor has moved it. */
async function reown(boss: ImageApiClient, id: string): Promise<void> {
  const owner = 'permissions-reowned';
  await boss.call('PUT', `/images/${id}/owner`, { owner });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const record = await boss.get(id);
    if (record?.owner === owner && record.status === 'PROCESSED') return;
    if (Date.now() > deadline) throw new Error(`${id} was not re-owned: ${JSON.stringify(record)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A caller who is no admin asks for backfills and a re-own: the functions answer 403. */
async function refusedBackfills(api: ImageApiClient): Promise<void> {
  const asks: [string, string, unknown?][] = [
    ['PUT', '/images/01JABCDEFGHJKMNPQRSTVWXYZ0/owner', { owner: 'someone' }],
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
async function replaceOriginal(api: ImageApiClient, settled: () => Promise<void>): Promise<void> {
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
  // Deleted now, the image would take the first version's renditions with it, before the processor could.
  await settled();
  await api.delete(ticket.imageId);
}

/**
 * A re-analysis of one of the pipeline's own uploads (the workload's, on a runner other files share: theirs are not
 * its to re-analyse), started, listed and followed to its end through the API; with face grouping, one that
 * regroups its faces (they leave their people, then are grouped again).
 */
async function reanalyseUploads(api: ImageApiClient, imageId: string, regroupFaces: boolean): Promise<void> {
  const { BucketName: bucket } = (await api.call('GET', '/_local/outputs')) as { BucketName: string };
  const request = { bucket, prefix: `uploads/${imageId}`, reprocess: true, ...(regroupFaces && { regroupFaces }) };
  // Twice: the second start reads the first run (its input and counters) to check that it is done.
  for (let run = 0; run < 2; run++) {
    const started = (await api.call('POST', '/backfills', request)) as { id: string };
    await api.call('GET', '/backfills');
    const deadline = Date.now() + 60_000;
    while (!((await api.call('GET', `/backfills/${started.id}`)) as { done: boolean }).done) {
      if (Date.now() > deadline) throw new Error(`backfill ${started.id} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
