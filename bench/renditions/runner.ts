/**
 * The first request of a rendition through the local runner, end to end: the GET of a URL the API issued, answered by
 * the render function as the runner serves it (its function URL, moto's S3 and DynamoDB over HTTP), against the
 * reference pipeline's handler (dit.ts) reading the same original from the same emulator. No I/O is modelled here:
 * every call both make is a real HTTP request to moto on loopback, which answers small ones in a few milliseconds and
 * moves bytes at memory speed (so it favours the reference, which reads the whole original).
 *
 * For each source format one 12 MP original (the renditions corpus) is uploaded through the API and processed. Each
 * round, for each format, in an order that alternates: the stored renditions of its image are deleted (so the GET is
 * a miss, as a first request is), then the one URL is fetched, and the reference answers the same request over HTTP
 * from the bench process. Each time is the client's, from sending the request to the last byte.
 *
 * Usage: npx tsx bench/renditions/runner.ts [--rounds N] [--out FILE.md]   (npm run bench:renditions:runner)
 */

import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { startRunner } from '../../test/support/runner-process';
import { median } from '../../test/support/stats';
import { ensureRenditionsCorpus, type Original, type SourceFormat } from './corpus';
import { ditProcess } from './dit';
import { MIX } from './requests';
import { type RunnerSample, renderRunnerReport } from './runner-report';

const log = (line: string) => process.stderr.write(`${line}\n`);
/** The request: a 400 px WebP cover, q80 (not the eager `card` preset, 400x300, which the processor stores). */
const REQUEST = MIX[0] as (typeof MIX)[number];
const SPEC = { w: 400, h: 225, fit: 'cover', format: 'webp', q: 80 };

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '15' },
      out: { type: 'string', default: path.join(__dirname, 'runner-results.md') },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) {
    throw new RangeError(`--rounds must be a whole number from 1 to 100, got '${values.rounds}'`);
  }
  return { rounds, out: String(values.out) };
}

/** The reference pipeline's handler over HTTP: `GET /<key>` reads the original from the bucket, then its edits. */
async function serveReference(s3: S3Client, bucket: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const key = decodeURIComponent((request.url ?? '/').slice(1));
    (async () => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const original = Buffer.from(
        await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      const data = await ditProcess(original, REQUEST.dit(), {
        getObject: async () => {
          throw new Error('no overlay in this request');
        },
        detectFaces: async () => [],
      });
      response.writeHead(200, { 'content-type': 'image/webp', 'content-length': String(data.length) });
      response.end(data);
    })().catch((error: Error) => {
      // libvips stacks its messages with the codec's own words last.
      const cause =
        error.message
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .at(-1) ?? 'unknown error';
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(cause);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One GET, timed from sending it to its last byte; its output must be the 400x225 WebP asked for. */
async function timedGet(url: string, accept = 'image/webp'): Promise<{ ms: number; bytes: number; source?: string }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { accept } });
  const body = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body.toString('utf8').slice(0, 200)}`);
  const { format, width, height } = await sharp(body).metadata();
  if (format !== 'webp' || width !== 400 || height !== 225) {
    throw new Error(`GET ${url}: a ${format} ${width}x${height}, not the 400x225 WebP asked for`);
  }
  return { ms, bytes: body.length, source: response.headers.get('x-rendition-source') ?? undefined };
}

async function deleteRenditions(s3: S3Client, bucket: string, imageId: string): Promise<void> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `renditions/${imageId}/` }));
  const objects = (listed.Contents ?? []).map(({ Key }) => ({ Key }));
  if (objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
}

async function main(): Promise<void> {
  const began = performance.now();
  const { rounds, out } = options();
  sharp.cache(false);
  const corpus = await ensureRenditionsCorpus(1, log);
  const runner = await startRunner({
    auth: 'none',
    fromSource: true,
    // A 12 MP PNG is about 34 MB, over the default 25 MiB.
    args: ['-c', `maxUploadBytes=${64 * 1024 * 1024}`],
  });
  const { ready } = runner;
  const s3 = new S3Client({
    endpoint: ready.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const reference = await serveReference(s3, ready.bucket);
  const api = new ImageApiClient(ready.apiUrl, {});
  const samples: RunnerSample[] = [];
  try {
    const images: { original: Original; imageId: string; key: string; url: string }[] = [];
    for (const original of corpus.originals) {
      const bytes = await readFile(original.file);
      const imageId = await api.upload(bytes, { filename: path.basename(original.file) });
      const view = await api.waitForFinal(imageId, 180_000);
      if (view.status !== 'PROCESSED') throw new Error(`${original.id}: ${view.status}`);
      const { url } = await api.rendition(imageId, SPEC);
      // The reference reads the original itself, at the key the record names.
      images.push({ original, imageId, key: String(view.key), url });
      log(`uploaded and processed ${original.id} (${(bytes.length / 1e6).toFixed(1)} MB) as ${imageId}`);
    }
    for (let round = 0; round <= rounds; round++) {
      for (const [index, image] of images.entries()) {
        const order = (round + index) % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const);
        for (const contender of order) {
          await deleteRenditions(s3, ready.bucket, image.imageId);
          const url = contender === 'ours' ? image.url : `${reference.url}/${encodeURIComponent(image.key)}`;
          const outcome = await timedGet(url).catch((error: Error) => ({ error: error.message }));
          if (round === 0) continue;
          samples.push({ round, contender, format: image.original.format, ...outcome });
        }
      }
      log(round === 0 ? 'round 0 (warm-up) done' : `round ${round} of ${rounds} done`);
    }
  } finally {
    reference.server.close();
    await runner.stop();
  }
  const markdown = renderRunnerReport({
    samples,
    rounds,
    command: `npx tsx bench/renditions/runner.ts ${process.argv.slice(2).join(' ')}`.trim(),
    corpus: corpus.originals.map((o) => ({ format: o.format, bytes: o.bytes, width: o.width, height: o.height })),
  });
  await writeFile(out, markdown);
  await writeFile(out.replace(/\.md$/, '.json'), `${JSON.stringify({ rounds, samples }, null, 2)}\n`);
  process.stdout.write(markdown);
  const byFormat = (format: SourceFormat) =>
    median(samples.filter((s) => s.format === format && s.contender === 'ours' && s.ms).map((s) => s.ms as number));
  log(`ours, baseline JPEG: ${byFormat('jpeg-baseline').toFixed(0)} ms`);
  log(`wrote ${out} and its .json in ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
