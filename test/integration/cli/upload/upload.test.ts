import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { readProvenance } from '../../../../lambdas/provenance/read-provenance';
import { type ImageItem, ImageItemSchema } from '../../../../lambdas/store/image-item';
import { toPublicImage } from '../../../../lambdas/store/image-view';
import { fixturePath } from '../../../fixtures';
import { run } from '../run-cli';

/**
 * The upload API and bucket in one local server: `POST /uploads` hands out a ticket (refusing an empty file, as
 * the real API does), the presigned POST analyses the bytes (and reads their provenance) at once, and
 * `GET /images/{id}` answers the item as the real API shows it (`toPublicImage` of an item the table schema accepts).
 */
async function startFakeApi(): Promise<{ url: string; server: Server }> {
  const items = new Map<string, ImageItem>();
  const server = createServer((request, response) => {
    const answer = (status: number, body?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(body && JSON.stringify(body));
    };
    handle(request, items, url)
      .then(([status, body]) => answer(status, body))
      .catch((error: Error) => answer(500, { message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server };
}

async function handle(
  request: IncomingMessage,
  items: Map<string, ImageItem>,
  url: string,
): Promise<[number, unknown]> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (request.method === 'POST' && request.url === '/uploads') {
    const { size, filename, tags, metadata, sha256, duplicates } = JSON.parse(body.toString()) as Pick<
      ImageItem,
      'filename' | 'tags' | 'metadata' | 'sha256'
    > & { size: number; duplicates?: string };
    if (size < 1) return [400, { message: 'size: must be at least 1 byte' }];
    // As the API: the caller's earlier image with the declared bytes, unless told to keep duplicates.
    const earlier = [...items.values()].find((item) => sha256 !== undefined && item.sha256 === sha256);
    if (earlier && duplicates !== 'keep') return [200, { duplicateOf: earlier.imageId, message: 'duplicate' }];
    const imageId = `01TEST${items.size}`;
    const now = new Date().toISOString();
    const key = `uploads/${imageId}`;
    items.set(imageId, {
      imageId,
      entity: 'IMAGE',
      status: 'PENDING',
      createdAt: now,
      updatedAt: now,
      bucket: 'images',
      key,
      filename,
      tags,
      metadata,
      sha256,
    });
    return [201, { imageId, upload: { url: `${url}/bucket`, fields: { key } }, expiresAt: now }];
  }
  if (request.method === 'POST' && request.url === '/bucket') {
    const form = await new Request(`${url}/bucket`, {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type']) },
      body,
    }).formData();
    const imageId = String(form.get('key')).replace('uploads/', '');
    const bytes = Buffer.from(await (form.get('file') as Blob).arrayBuffer());
    const { record } = await analyzeImage(bytes);
    // As the processor's provenance step: read from the original's bytes, for a decoded image.
    const provenance = record.status === 'PROCESSED' ? await readProvenance(bytes, record.metadata.format) : undefined;
    const item = items.get(imageId) as ImageItem;
    items.set(
      imageId,
      ImageItemSchema.parse({
        ...item,
        status: record.status,
        size: bytes.length,
        analysis: record,
        ...(record.status === 'REJECTED' && { rejection: record.rejection }),
        ...(record.status === 'PROCESSED' && { thumbnails: { 128: `thumbnails/${imageId}/128.webp` } }),
        ...(provenance && { provenance }),
      }),
    );
    return [204, undefined];
  }
  const item = items.get(request.url?.replace('/images/', '') ?? '');
  return item ? [200, toPublicImage(item)] : [404, { message: 'no such image' }];
}

/** A record without what differs between two analyses of the same bytes: the timing and libvips' wording. */
function stable(record: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(record, (key, value) => (key === 'durationMs' ? 0 : key === 'message' ? '(message)' : value)),
  );
}

describe('image-intel upload', () => {
  let api: { url: string; server: Server };
  beforeAll(async () => {
    api = await startFakeApi();
  });
  afterAll(() => new Promise((resolve) => api.server.close(resolve)));

  it('prints the API’s record for each file, nested as analyze nests its own, and sums up the rejection', async () => {
    const files = [fixturePath('photos/kite.jpg'), fixturePath('bad/truncated.jpg')];
    const uploaded = await run('upload', '--api', api.url, ...files);
    const analysed = await run('analyze', ...files);
    expect(uploaded.code).toBe(1);
    expect(uploaded.stderr).toBe("image-intel: 2 files: 1 processed, 1 rejected (see each record's rejection)\n");
    expect(uploaded.stderr).toBe(analysed.stderr);
    expect(uploaded.records).toEqual([
      expect.objectContaining({ file: files[0], imageId: expect.any(String), status: 'PROCESSED' }),
      expect.objectContaining({ file: files[1], imageId: expect.any(String), status: 'REJECTED' }),
    ]);
    // The same nesting and the same analysis; the API adds its own fields (imageId, key, thumbnail keys...).
    for (const [index, record] of uploaded.records.entries()) {
      expect(stable(record)).toMatchObject(stable(analysed.records[index] as Record<string, unknown>));
    }
  });

  it('records a file it cannot read or the API refuses as FAILED with the error, and exits 1', async () => {
    const { code, records, stderr } = await run(
      'upload',
      '--api',
      api.url,
      fixturePath('missing.jpg'),
      fixturePath('bad/empty.jpg'),
    );
    expect(code).toBe(1);
    expect(records).toEqual([
      { file: fixturePath('missing.jpg'), status: 'FAILED', error: { code: 'READ_FAILED', message: 'no such file' } },
      {
        file: fixturePath('bad/empty.jpg'),
        status: 'FAILED',
        error: { code: 'UPLOAD_FAILED', message: 'POST /uploads: 400 size: must be at least 1 byte' },
      },
    ]);
    expect(stderr).toBe(
      "image-intel: 2 files: 0 processed, 1 could not be read (see each record's error), 1 failed (see each record's error)\n",
    );
  });

  it('sends every --tag and --meta key=value with each upload, and prints them in the record', async () => {
    const { code, records } = await run(
      'upload',
      '--api',
      api.url,
      // The kite was uploaded above: sent again all the same.
      '--duplicates',
      'keep',
      '--tag',
      'kite',
      '--tag',
      'sky',
      '--meta',
      'album=summer',
      '--meta',
      'note=a=b',
      fixturePath('photos/kite.jpg'),
    );
    expect(code).toBe(0);
    expect(records).toEqual([
      expect.objectContaining({ tags: ['kite', 'sky'], metadata: { album: 'summer', note: 'a=b' } }),
    ]);
  });

  it('skips a file already uploaded, by default, saying which image has its bytes, and exits 0', async () => {
    const { code, records, stderr } = await run('upload', '--api', api.url, fixturePath('photos/kite.jpg'));
    expect(code).toBe(0);
    expect(records).toEqual([
      { file: fixturePath('photos/kite.jpg'), skipped: 'duplicate', duplicateOf: expect.any(String) },
    ]);
    expect(stderr).toBe("image-intel: 1 skipped: already uploaded (see each record's duplicateOf)\n");
  });

  it('refuses a --meta without a key and uploads nothing', async () => {
    const { code, stderr } = await run('upload', '--api', api.url, '--meta', '=x', fixturePath('photos/kite.jpg'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--meta <key=value>.*must be key=value/);
  });

  it('uploads every photo in a folder, walked as analyze walks it (sorted, nested, hidden files left)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'image-intel-upload-'));
    try {
      await mkdir(join(dir, 'trip'));
      await copyFile(fixturePath('photos/pier.jpg'), join(dir, 'pier.jpg'));
      await copyFile(fixturePath('photos/boats.jpg'), join(dir, 'trip', 'boats.jpg'));
      await writeFile(join(dir, '.DS_Store'), 'not a photo');
      const { code, records, stderr } = await run('upload', '--api', api.url, '--no-wait', dir);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(records).toEqual([
        { file: join(dir, 'pier.jpg'), imageId: expect.any(String), status: 'PENDING' },
        { file: join(dir, 'trip', 'boats.jpg'), imageId: expect.any(String), status: 'PENDING' },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints each image PENDING with its id under --no-wait, and exits 0', async () => {
    const { code, records, stderr } = await run(
      'upload',
      '--api',
      api.url,
      '--no-wait',
      fixturePath('photos/leaf.jpg'),
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(records).toEqual([{ file: fixturePath('photos/leaf.jpg'), imageId: expect.any(String), status: 'PENDING' }]);
  });
});
