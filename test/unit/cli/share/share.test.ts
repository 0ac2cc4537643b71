import { expiryOf } from '../../../../lambdas/cli/share/command';
import {
  apiOfLink,
  createShareCommand,
  openShareCommand,
  refusalOf,
  revokeShareCommand,
  type ShareAnswer,
  saveSharedCommand,
  shareTable,
  tokenOf,
} from '../../../../lambdas/cli/share/share';
import { fakeApi } from '../fake-api';

const FLAGS = { api: 'http://localhost:3000' };
const TOKEN = 'q2Vw3tQmY2sH1m9K0l8R3xS6a7B5c4D2e1F0g9H8i7J';
const URL_OF_LINK = `http://localhost:3000/app/shared#${TOKEN}`;
const SHARE: ShareAnswer = {
  shareId: '3f2a9c1d0b8e7f65',
  kind: 'album',
  albumId: 'al_x',
  title: 'Holiday',
  createdAt: '2026-01-02T03:04:05.000Z',
  expiresAt: '2026-01-09T03:04:05.000Z',
  protected: true,
  allowDownload: false,
  views: 1,
  state: 'active',
};

/** A fetch that answers each URL from `answers`, recording what was asked with which headers. */
function fakeFetch(answers: Record<string, { status: number; body: unknown; headers?: Record<string, string> }>) {
  const asked: { url: string; headers: Record<string, string> }[] = [];
  const fetcher = (async (url: string | URL, init?: RequestInit) => {
    asked.push({ url: String(url), headers: (init?.headers ?? {}) as Record<string, string> });
    const answer = answers[String(url)] ?? { status: 404, body: { message: 'no route' } };
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
  }) as typeof fetch;
  return { asked, fetcher };
}

describe('share arguments', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  it('takes a span from now (hours, days, weeks) or an ISO time, as the ISO time the API takes', () => {
    expect(expiryOf('7d', now)).toBe('2026-01-09T00:00:00.000Z');
    expect(expiryOf('12h', now)).toBe('2026-01-02T12:00:00.000Z');
    expect(expiryOf('2w', now)).toBe('2026-01-16T00:00:00.000Z');
    expect(expiryOf('2026-02-01T10:00:00+01:00', now)).toBe('2026-02-01T09:00:00.000Z');
    expect(expiryOf('next week', now)).toBeUndefined();
  });

  it("finds the token in the web app's link (in its fragment, or an older link's path), the API's, or takes it as it is", () => {
    expect(tokenOf(`https://d1.cloudfront.net/app/shared#${TOKEN}`)).toBe(TOKEN);
    expect(tokenOf(`https://d1.cloudfront.net/app/shared/${TOKEN}`)).toBe(TOKEN);
    expect(tokenOf(`https://abc.execute-api.eu-west-1.amazonaws.com/prod/shared/${TOKEN}`)).toBe(TOKEN);
    expect(tokenOf(TOKEN)).toBe(TOKEN);
  });
});

describe('share commands', () => {
  it('makes a link with the terms given, and prints its URL, that it is shown only now, and how to revoke it', async () => {
    const fake = fakeApi(() => ({ token: TOKEN, url: URL_OF_LINK, share: SHARE }));
    const body = { expiresAt: SHARE.expiresAt, password: 'correct horse' };
    await createShareCommand({ kind: 'album', id: 'al_x' }, body, FLAGS, fake.io);
    expect(fake.calls).toEqual([['POST', '/albums/al_x/shares', body]]);
    expect(fake.out).toEqual([
      `Shared the album “Holiday”: ${URL_OF_LINK}`,
      '  until 2026-01-09T03:04:05.000Z, password, no download, 1 view',
      '  the link is shown only now: keep it (share list shows the link without it)',
      `  revoke it with: image-intel share revoke ${SHARE.shareId}`,
    ]);
  });

  it('lists links by their id with their state, views and terms, and no URL; a photo’s by its file name', () => {
    const rows = shareTable([
      SHARE,
      { ...SHARE, state: 'revoked', protected: false, views: 0, expiresAt: undefined },
      { ...SHARE, kind: 'image', albumId: undefined, imageId: 'img', title: 'Photo', filename: 'kite.jpg' },
    ]);
    expect(rows).toEqual([
      'ID                STATE    VIEWS  WHAT              EXPIRES                   PASSWORD',
      '3f2a9c1d0b8e7f65  active   1      album “Holiday”   2026-01-09T03:04:05.000Z  yes',
      '3f2a9c1d0b8e7f65  revoked  0      album “Holiday”   never                     no',
      '3f2a9c1d0b8e7f65  active   1      image “kite.jpg”  2026-01-09T03:04:05.000Z  yes',
    ]);
    expect(rows.join('\n')).not.toContain('/shared');
  });

  it("revokes by the id share list prints, or by the token of a URL (the web app's, or an older one)", async () => {
    const fake = fakeApi(() => undefined);
    await revokeShareCommand(SHARE.shareId, FLAGS, fake.io);
    await revokeShareCommand(URL_OF_LINK, FLAGS, fake.io);
    await revokeShareCommand(`http://localhost:3000/app/shared/${TOKEN}`, FLAGS, fake.io);
    expect(fake.calls).toEqual([
      ['DELETE', `/shares/${SHARE.shareId}`, undefined],
      ['DELETE', `/shares/${TOKEN}`, undefined],
      ['DELETE', `/shares/${TOKEN}`, undefined],
    ]);
    expect(fake.out).toEqual(Array(3).fill('Revoked: the link no longer opens.'));
  });
});

describe('share save', () => {
  it("saves a link's photo with the token and password in headers, never in the URL, and says what was kept", async () => {
    const headers: Record<string, string>[] = [];
    const fake = fakeApi(() => ({ imageId: '01KCOPY', status: 'SAVING', position: 'removed' }));
    const call = fake.io.client.call;
    fake.io.client.call = async (method, path, body, extra) => {
      headers.push(extra ?? {});
      return call(method, path, body);
    };
    await saveSharedCommand(URL_OF_LINK, 'AbCdEfGhIjKlMnOpQrStUv', { ...FLAGS, password: 'open sesame' }, fake.io);
    expect(fake.calls).toEqual([['POST', '/shared/-/save', { photo: 'AbCdEfGhIjKlMnOpQrStUv' }]]);
    expect(headers).toEqual([{ 'x-share-token': TOKEN, 'x-share-password': 'open sesame' }]);
    expect(fake.out).toEqual(['Saved as 01KCOPY (without its position): being analysed']);
  });

  it('says a replayed save answered the copy made before', async () => {
    const fake = fakeApi(() => ({ imageId: '01KCOPY', status: 'SAVED', position: 'kept' }));
    await saveSharedCommand(TOKEN, 'AbCdEfGhIjKlMnOpQrStUv', FLAGS, fake.io);
    expect(fake.out).toEqual(['Saved before, as 01KCOPY (with its position)']);
  });
});

describe('share open', () => {
  it("finds the API of a web app's link in its config.json (empty: the app's own origin)", async () => {
    const { fetcher } = fakeFetch({
      'https://d1.cloudfront.net/app/config.json': { status: 200, body: { apiUrl: 'https://api.example/prod/' } },
      'http://localhost:3000/app/config.json': { status: 200, body: { apiUrl: '' } },
    });
    expect(await apiOfLink(`https://d1.cloudfront.net/app/shared#${TOKEN}`, undefined, fetcher)).toBe(
      'https://api.example/prod',
    );
    expect(await apiOfLink(`https://d1.cloudfront.net/app/shared/${TOKEN}`, undefined, fetcher)).toBe(
      'https://api.example/prod',
    );
    expect(await apiOfLink(URL_OF_LINK, undefined, fetcher)).toBe('http://localhost:3000');
    expect(await apiOfLink(`https://api.example/prod/shared/${TOKEN}`, undefined, fetcher)).toBe(
      'https://api.example/prod',
    );
  });

  it('opens signed out, the token in X-Share-Token and the password in X-Share-Password, and prints each photo', async () => {
    const page = {
      kind: 'album',
      title: 'Holiday',
      allowDownload: false,
      items: [{ id: 'ph1', width: 640, height: 480, thumbnailUrl: 't', viewUrl: 'https://edge/view1' }],
    };
    const { asked, fetcher } = fakeFetch({
      'http://localhost:3000/app/config.json': { status: 200, body: { apiUrl: '' } },
      'http://localhost:3000/shared/-': { status: 200, body: page },
    });
    const out: string[] = [];
    const code = await openShareCommand(
      URL_OF_LINK,
      { password: 'correct horse' },
      { fetch: fetcher, out: (l) => out.push(l) },
    );
    expect(code).toBe(0);
    const call = asked[1];
    expect(call?.headers).toEqual({
      accept: 'application/json',
      'x-share-token': TOKEN,
      'x-share-password': 'correct horse',
    });
    for (const made of asked) expect(String(made.url)).not.toContain(TOKEN);
    expect(Object.keys(call?.headers ?? {})).not.toContain('authorization');
    expect(out).toEqual([
      'Album “Holiday”: no expiry, no download',
      'SIZE     PHOTO  VIEW',
      '640x480  ph1    https://edge/view1',
    ]);
  });

  it('says what a refusal means: a password to give or wrong, too many tries, revoked, never made', () => {
    expect(refusalOf(401, 'password required', false)).toMatch(
      /protected by a password: give it with --password-stdin/,
    );
    expect(refusalOf(401, 'wrong password', true)).toBe('the password is not this link’s');
    expect(refusalOf(429, 'slow down', true, '600')).toBe('too many wrong passwords: try again in 600 s');
    expect(refusalOf(410, 'revoked', false)).toBe('this link was revoked or has expired: it no longer opens');
    expect(refusalOf(404, 'not found', false)).toBe('no such link (never made, or altered)');
  });

  it('exits 1 with the refusal in words on a revoked link', async () => {
    const { fetcher } = fakeFetch({
      'http://localhost:3000/shared/-': { status: 410, body: { message: 'this link was revoked' } },
    });
    const err: string[] = [];
    const code = await openShareCommand(TOKEN, { api: FLAGS.api }, { fetch: fetcher, err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err).toEqual(['this link was revoked or has expired: it no longer opens']);
  });
});
