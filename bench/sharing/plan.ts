/**
 * What bench/sharing sends: each operation of albums and share links, and beside them the pages users already open
 * (the gallery's page, one image), in the order a user would make them. Album `i` of the run gets 50 of the photos,
 * its share links are made, opened and revoked by the same `i`.
 */
import type { Answer, Operation } from './measure';

/** Images a request adds or removes, and a page's size. */
export const PAGE = 50;
export const PASSWORD = 'bench-sharing-password';

/** The operations' names, as the report and docs/costs.md name them. */
export const OPS = {
  createAlbum: 'POST /albums',
  addImages: `POST /albums/{id}/images (${PAGE} ids)`,
  getAlbum: `GET /albums/{id} (a page of ${PAGE})`,
  listAlbums: 'GET /albums (a page)',
  removeImages: `DELETE /albums/{id}/images (${PAGE} ids)`,
  createShare: 'POST /albums/{id}/shares',
  createProtected: 'POST /albums/{id}/shares (password)',
  openShare: `GET /shared/{token} (a page of ${PAGE})`,
  openProtected: `GET /shared/{token} (password, a page of ${PAGE})`,
  wrongPassword: 'GET /shared/{token} (wrong password: 401)',
  listShares: 'GET /shares (a page)',
  revokeShare: 'DELETE /shares/{token}',
  galleryPage: `GET /images?limit=${PAGE} (baseline)`,
  getImage: 'GET /images/{id} (baseline)',
} as const;

/** Operations that act on `PAGE` images each: their cost is also shown per image. */
export const PER_IMAGE: readonly string[] = [OPS.addImages, OPS.removeImages];

export interface Plan {
  warmUp: Operation[];
  measured: Operation[];
}

/** The run's plan over these photos; the share operations only when `shares` (their routes exist). */
export function sharingPlan(imageIds: readonly string[], shares: boolean): Plan {
  const albums: string[] = [];
  const open: string[] = [];
  const guarded: string[] = [];
  let warmAlbum = '';
  let warmToken = '';
  const batch = (i: number) => {
    const from = (i * 7) % Math.max(1, imageIds.length - PAGE + 1);
    return imageIds.slice(from, from + PAGE);
  };
  const idOf = (answer: Answer) => String(answer.json.albumId);
  const tokenOf = (answer: Answer) => String(answer.json.token);
  const password = { 'x-share-password': PASSWORD };

  const warmUp: Operation[] = [
    {
      name: 'warm POST /albums',
      request: () => ({ method: 'POST', path: '/albums', body: { name: 'warm-up' } }),
      expect: 201,
      keep: (answer) => {
        warmAlbum = idOf(answer);
      },
    },
    {
      name: 'warm add',
      request: () => ({
        method: 'POST',
        path: `/albums/${warmAlbum}/images`,
        body: { imageIds: batch(0).slice(0, 5) },
      }),
    },
    { name: 'warm GET album', request: () => ({ method: 'GET', path: `/albums/${warmAlbum}?limit=${PAGE}` }) },
    { name: 'warm GET /albums', request: () => ({ method: 'GET', path: `/albums?limit=${PAGE}` }) },
    {
      name: 'warm remove',
      request: () => ({
        method: 'DELETE',
        path: `/albums/${warmAlbum}/images`,
        body: { imageIds: batch(0).slice(0, 1) },
      }),
    },
    { name: 'warm gallery', request: () => ({ method: 'GET', path: `/images?limit=${PAGE}` }) },
    { name: 'warm image', request: () => ({ method: 'GET', path: `/images/${imageIds[0]}` }) },
  ];
  if (shares) {
    warmUp.push(
      {
        name: 'warm share',
        request: () => ({ method: 'POST', path: `/albums/${warmAlbum}/shares`, body: { password: PASSWORD } }),
        expect: 201,
        keep: (answer) => {
          warmToken = tokenOf(answer);
        },
      },
      { name: 'warm open', request: () => ({ method: 'GET', path: `/shared/${warmToken}`, headers: password }) },
      { name: 'warm GET /shares', request: () => ({ method: 'GET', path: `/shares?limit=${PAGE}` }) },
      { name: 'warm revoke', request: () => ({ method: 'DELETE', path: `/shares/${warmToken}` }), expect: 204 },
    );
  }

  const measured: Operation[] = [
    {
      name: OPS.createAlbum,
      request: (i) => ({ method: 'POST', path: '/albums', body: { name: `Bench album ${i + 1}` } }),
      expect: 201,
      keep: (answer, i) => {
        albums[i] = idOf(answer);
      },
    },
    {
      name: OPS.addImages,
      request: (i) => ({ method: 'POST', path: `/albums/${albums[i]}/images`, body: { imageIds: batch(i) } }),
    },
    { name: OPS.getAlbum, request: (i) => ({ method: 'GET', path: `/albums/${albums[i]}?limit=${PAGE}` }) },
    { name: OPS.listAlbums, request: () => ({ method: 'GET', path: `/albums?limit=${PAGE}` }) },
    { name: OPS.galleryPage, request: () => ({ method: 'GET', path: `/images?limit=${PAGE}` }) },
    {
      name: OPS.getImage,
      request: (i) => ({ method: 'GET', path: `/images/${imageIds[(i * 5) % imageIds.length]}` }),
    },
  ];
  if (shares) {
    measured.push(
      {
        name: OPS.createShare,
        request: (i) => ({ method: 'POST', path: `/albums/${albums[i]}/shares`, body: {} }),
        expect: 201,
        keep: (answer, i) => {
          open[i] = tokenOf(answer);
        },
      },
      {
        name: OPS.createProtected,
        request: (i) => ({ method: 'POST', path: `/albums/${albums[i]}/shares`, body: { password: PASSWORD } }),
        expect: 201,
        keep: (answer, i) => {
          guarded[i] = tokenOf(answer);
        },
      },
      { name: OPS.openShare, request: (i) => ({ method: 'GET', path: `/shared/${open[i]}?limit=${PAGE}` }) },
      {
        name: OPS.openProtected,
        request: (i) => ({ method: 'GET', path: `/shared/${guarded[i]}?limit=${PAGE}`, headers: password }),
      },
      {
        name: OPS.wrongPassword,
        request: (i) => ({
          method: 'GET',
          path: `/shared/${guarded[i]}?limit=${PAGE}`,
          headers: { 'x-share-password': `${PASSWORD}-wrong` },
        }),
        expect: 401,
      },
      // The owner's links with their views (each link's own item), all opened by now.
      { name: OPS.listShares, request: () => ({ method: 'GET', path: `/shares?limit=${PAGE}` }) },
      { name: OPS.revokeShare, request: (i) => ({ method: 'DELETE', path: `/shares/${open[i]}` }), expect: 204 },
    );
  }
  measured.push({
    name: OPS.removeImages,
    request: (i) => ({ method: 'DELETE', path: `/albums/${albums[i]}/images`, body: { imageIds: batch(i) } }),
  });
  return { warmUp, measured };
}
