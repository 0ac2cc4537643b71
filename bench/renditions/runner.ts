/**
 * The first request of a rendition through the local runner, end to end: the GET of a URL the API issued, answered by
 * the render function as the runner serves it (its function URL, moto's S3 and DynamoDB over HTTP), against the
 * reference pipeline's handler (dit.ts) reading the same original from the same emulator, and against the same GET
 * as a baseline commit's runner answers it (issue 57's regression guard: `--against`, bench/support/baseline.ts). No I/O is modelled here:
 * every call both make is a real HTTP request to moto on loopback, which answers small ones in a few milliseconds and
 * moves bytes at memory speed (so it favours the reference, which reads the whole original).
 *
 * For each source format one 12 MP original (the renditions corpus), and a camera-like JPEG of held-out photos
 * (bench/support/camera-corpus.ts), is uploaded through each runner's API and processed. Each round, for each
 * source, in an order that rotates: the stored renditions of its image are deleted (so the GET is a miss, as a first
 * request is), then the URL is fetched from this tree's runner and from the baseline's, and the reference answers the
 * same request over HTTP from the bench process. Each time is the client's, from sending the request to the last byte.
 *
 * Usage: npx tsx bench/renditions/runner.ts [--against <commit>] [--rounds N] [--tolerance 0.1] [--check]
 * [--out FILE.md] (npm run bench:renditions:runner). `--check` exits 1 on a missed goal or a regression.
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
import { baselineOf, thisTree } from '../support/baseline';
import { ensureCameraPhotos } from '../support/camera-corpus';
import { DEFAULT_TOLERANCE } from '../support/guard';
import { ensureRenditionsCorpus } from './corpus';
import { ditProcess } from './dit';
import { MIX } from './requests';
import { type RunnerSample, type RunnerSource, renderRunnerReport, runnerCheckFails } from './runner-report';

const log = (line: string) => process.stderr.write(`${line}\n`);
/** The request: a 400 px WebP cover, q80 (not the eager `card` preset, 400x300, which the processor stores). */
const REQUEST = MIX[0] as (typeof MIX)[number];
const SPEC = { w: 400, h: 225, fit: 'cover', format: 'webp', q: 80 };

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '15' },
      against: { type: 'string' },
      tolerance: { type: 'string', default: String(DEFAULT_TOLERANCE) },
      check: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(__dirname, 'runner-results.md') },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) {
    throw new RangeError(`--rounds must be a whole number from 1 to 100, got '${values.rounds}'`);
  }
  return {
    rounds,
    out: String(values.out),
    against: values.against,
    tolerance: Number(values.tolerance),
    check: values.check === true,
  };
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

interface Source {
  format: RunnerSource;
  file: string;
  bytes: number;
  width: number;
  height: number;
}

/** One runner (this tree's or the baseline's), its moto, and each source uploaded through it with its URL. */
interface Side {
  runner: Awaited<ReturnType<typeof startRunner>>;
  s3: S3Client;
  images: Map<RunnerSource, { imageId: string; key: string; url: string }>;
}

async function startSide(sources: Source[], root?: string): Promise<Side> {
  const runner = await startRunner({
    auth: 'none',
    fromSource: true,
    root,
    // A 12 MP PNG is about 34 MB, over the default 25 MiB.
    args: ['-c', `maxUploadBytes=${64 * 1024 * 1024}`],
  });
  const s3 = new S3Client({
    endpoint: runner.ready.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const api = new ImageApiClient(runner.ready.apiUrl, {});
  const images: Side['images'] = new Map();
  for (const source of sources) {
    const bytes = await readFile(source.file);
    const imageId = await api.upload(bytes, { filename: path.basename(source.file) });
    const view = await api.waitForFinal(imageId, 180_000);
    if (view.status !== 'PROCESSED') throw new Error(`${source.file}: ${view.status}`);
    const { url } = await api.rendition(imageId, SPEC);
    // The reference reads the original itself, at the key the record names.
    images.set(source.format, { imageId, key: String(view.key), url });
    log(`${root ? 'baseline' : 'this tree'}: ${source.format} (${(bytes.length / 1e6).toFixed(1)} MB) is ${imageId}`);
  }
  return { runner, s3, images };
}

async function main(): Promise<void> {
  const began = performance.now();
  const { rounds, out, against, tolerance, check } = options();
  sharp.cache(false);
  const base = baselineOf(against);
  const corpus = await ensureRenditionsCorpus(1, log);
  const camera = (await ensureCameraPhotos(log)).at(-1) as string;
  const cameraMeta = await sharp(camera).metadata();
  const sources: Source[] = [
    ...corpus.originals.map((o) => ({
      format: o.format,
      file: o.file,
      bytes: o.bytes,
      width: o.width,
      height: o.height,
    })),
    {
      format: 'jpeg-camera',
      file: camera,
      bytes: (await readFile(camera)).length,
      width: cameraMeta.width ?? 0,
      height: cameraMeta.height ?? 0,
    },
  ];
  log(`this tree ${thisTree()} against ${base.label} (${base.sha})`);
  const ours = await startSide(sources);
  const baseline = await startSide(sources, base.tree).catch(async (error: unknown) => {
    await ours.runner.stop();
    throw error;
  });
  const reference = await serveReference(ours.s3, ours.runner.ready.bucket);
  const samples: RunnerSample[] = [];
  const contenders = ['ours', 'baseline', 'reference'] as const;
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const [index, { format }] of sources.entries()) {
        const order = contenders.map((_, i) => contenders[(i + round + index) % contenders.length]);
        for (const contender of order as RunnerSample['contender'][]) {
          const side = contender === 'baseline' ? baseline : ours;
          const image = side.images.get(format) as { imageId: string; key: string; url: string };
          await deleteRenditions(side.s3, side.runner.ready.bucket, image.imageId);
          const url = contender === 'reference' ? `${reference.url}/${encodeURIComponent(image.key)}` : image.url;
          const outcome = await timedGet(url).catch((error: Error) => ({ error: error.message }));
          if (round === 0) continue;
          samples.push({ round, contender, format, ...outcome });
        }
      }
      log(round === 0 ? 'round 0 (warm-up) done' : `round ${round} of ${rounds} done`);
    }
  } finally {
    reference.server.close();
    await Promise.all([ours.runner.stop(), baseline.runner.stop()]);
  }
  const input = {
    samples,
    rounds,
    command: `npx tsx bench/renditions/runner.ts ${process.argv.slice(2).join(' ')}`.trim(),
    corpus: sources,
    baseline: `${base.label === base.sha ? '' : `${base.label} = `}${base.sha}`,
    tolerance,
  };
  const markdown = renderRunnerReport(input);
  await writeFile(out, markdown);
  await writeFile(
    out.replace(/\.md$/, '.json'),
    `${JSON.stringify({ rounds, baseline: base, ours: thisTree(), samples }, null, 2)}\n`,
  );
  process.stdout.write(markdown);
  const byFormat = (format: RunnerSource) =>
    median(samples.filter((s) => s.format === format && s.contender === 'ours' && s.ms).map((s) => s.ms as number));
  log(`ours, camera-like JPEG: ${byFormat('jpeg-camera').toFixed(0)} ms`);
  log(`wrote ${out} and its .json in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  if (check && runnerCheckFails(input)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
