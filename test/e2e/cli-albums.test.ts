import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * `image-intel albums` and `image-intel share` as a user runs them, against the shared jwt runner: alice makes an
 * album of two photos, shares it with a password read from stdin; `share open` (signed out: no token in its
 * environment) is refused without the password and shows exactly the two with it; the link is listed with its view
 * and, revoked, no longer opens. What the routes answer in every case is the API suites' (test/e2e/albums.test.ts).
 */
const BIN = join(__dirname, '../../bin/image-intel.js');
const PASSWORD = 'correct horse battery';

let runner: SharedRunner;
let api: string;
let token: string;
const photos: string[] = [];

beforeAll(async () => {
  runner = await profileRunner('jwt');
  api = runner.ready.apiUrl;
  token = await runner.token({ user: fileUser('alice') });
  const client = new ImageApiClient(api, { bearerToken: token });
  for (const name of ['kite.jpg', 'pier.jpg']) {
    const id = await client.upload(fixture(`photos/${name}`), { filename: name });
    expect((await client.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
    photos.push(id);
  }
}, 240_000);

/** The CLI as a process: as alice (her token in IMAGE_INTEL_TOKEN) or, with `signedOut`, as no one; `stdin` fed. */
function cli(args: string[], options: { signedOut?: boolean; stdin?: string } = {}) {
  const { IMAGE_INTEL_TOKEN: _theirs, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = options.signedOut ? rest : { ...rest, IMAGE_INTEL_TOKEN: token };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.stdin ?? '');
  });
}
const lines = (text: string) => text.split('\n').filter(Boolean);

describe('image-intel albums and share', () => {
  let albumId = '';
  let url = '';
  let shareId = '';

  it('makes an album, adds two photos (each once), and shows them', async () => {
    const made = await cli(['albums', 'create', 'Seaside', '--api', api, '--json']);
    expect(made.code).toBe(0);
    albumId = JSON.parse(made.stdout).albumId;
    expect(albumId).toMatch(/^al_/);
    const added = await cli(['albums', 'add', albumId, ...photos, photos[0] as string, '--api', api]);
    expect({ code: added.code, stdout: added.stdout }).toEqual({
      code: 0,
      stdout: 'Added 2 photos to “Seaside”: it holds 2 photos\n',
    });
    const shown = await cli(['albums', 'show', albumId, '--api', api, '--json']);
    const [album, ...items] = lines(shown.stdout).map((line) => JSON.parse(line));
    expect(album).toMatchObject({ albumId, name: 'Seaside', count: 2 });
    expect(items.map((item) => item.imageId).sort()).toEqual([...photos].sort());
    const listed = await cli(['albums', 'list', '--api', api]);
    expect(lines(listed.stdout)).toContainEqual(expect.stringMatching(new RegExp(`^Seaside +2 +added +${albumId}$`)));
  });

  it('shows a dated photo of an album ordered by date taken at its date taken, not its upload', async () => {
    const client = new ImageApiClient(api, { bearerToken: token });
    const dated = await client.upload(fixture('formats/exif-gps.jpg'), { filename: 'exif-gps.jpg' });
    expect((await client.waitForFinal(dated, 120_000)).status).toBe('PROCESSED');
    const made = await cli(['albums', 'create', 'Dated', '--order', 'taken', '--api', api, '--json']);
    const dates = JSON.parse(made.stdout).albumId as string;
    expect((await cli(['albums', 'add', dates, dated, '--api', api])).code).toBe(0);
    const shown = await cli(['albums', 'show', dates, '--api', api]);
    // The EXIF's DateTimeOriginal, the camera's clock.
    expect(lines(shown.stdout).at(-1)).toBe(`2024-05-17T09:30:12  exif-gps.jpg  ${dated}`);
  });

  it('shares it with a password from stdin; opened signed out, it asks for it, then shows exactly the two', async () => {
    const shared = await cli(
      ['share', 'album', albumId, '--expires', '7d', '--password-stdin', '--api', api, '--json'],
      {
        stdin: `${PASSWORD}\n`,
      },
    );
    expect(shared.code).toBe(0);
    const answer = JSON.parse(shared.stdout);
    url = answer.url;
    shareId = answer.share.shareId;
    expect(answer.share).toMatchObject({ kind: 'album', protected: true, allowDownload: false, state: 'active' });
    // The token after `#`: a browser sends the web app `/app/shared` alone.
    expect(url).toBe(`${runner.ready.webUrl}shared#${answer.token}`);

    const refused = await cli(['share', 'open', url], { signedOut: true });
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({
      code: 1,
      stderr: 'image-intel: this link is protected by a password: give it with --password-stdin (or --password)\n',
    });
    const opened = await cli(['share', 'open', url, '--password-stdin', '--json'], {
      signedOut: true,
      stdin: PASSWORD,
    });
    expect(opened.code).toBe(0);
    const images = lines(opened.stdout).map((line) => JSON.parse(line));
    // Each named by the link's id for it, never by its image id (a time).
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(photos).not.toContain(image.id);
      expect(image.downloadUrl).toBeUndefined();
    }
  });

  it('lists the link by its id with its view, without its URL; revokes it by that id; then it no longer opens', async () => {
    const listed = await cli(['share', 'list', '--api', api, '--json']);
    const link = lines(listed.stdout)
      .map((line) => JSON.parse(line))
      .find((share) => share.shareId === shareId);
    expect(link).toMatchObject({ state: 'active', views: 1, title: 'Seaside' });
    expect(listed.stdout).not.toContain(url.split('#')[1] as string);
    const revoked = await cli(['share', 'revoke', shareId, '--api', api]);
    expect({ code: revoked.code, stdout: revoked.stdout }).toEqual({
      code: 0,
      stdout: 'Revoked: the link no longer opens.\n',
    });
    const opened = await cli(['share', 'open', url, '--password', PASSWORD], { signedOut: true });
    expect({ code: opened.code, stderr: opened.stderr }).toEqual({
      code: 1,
      stderr: 'image-intel: this link was revoked or has expired: it no longer opens\n',
    });
    const deleted = await cli(['albums', 'delete', albumId, '--api', api]);
    expect(deleted.code).toBe(0);
    const gone = await cli(['albums', 'show', albumId, '--api', api]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/404/);
  });
});
