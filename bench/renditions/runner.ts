/**
 * The first request of a rendition through the local runner, end to end: the GET of a URL the API issued, answered by
 * the render function as the runner serves it (its function URL, moto's S3 and DynamoDB over HTTP), against the
 * reference pipeline's handler (dit.ts) reading the same original from the same emulator, and against the same GET
 * as a baseline commit's runner answers it (issue 57's regression guard: `--against`, bench/support/baseline.ts). No I/O is modelled here:
 * every call both make is a real HTTP request to moto on loopback, which answers small ones in a few milliseconds and
 * moves bytes at memory speed (so it favours the reference, which reads the whole original).
 *
 * For each source format one 12 MP original (the renditions corpus), and a camera-like portrait JPEG of held-out
 * photos (bench/support/camera-corpus.ts, EXIF orientation 6), is uploaded through each runner's API and processed.
 * Two requests of each (a card and a page, runner-report.ts's RUNNER_SIZES). Each round, for each source and size, in
 * an order that rotates: the stored renditions of its image are deleted (so the GET is a miss, as a first request
 * is), then the URL is fetched from this tree's runner and from the baseline's, and the reference answers the same
 * request over HTTP from the bench process. Each time is the client's, from sending the request to the last byte.
 *
 * Usage: npx tsx bench/renditions/runner.ts [--against <commit>] [--rounds N] [--tolerance 0.1] [--check]
 * [--ours-config key=value ...] [--out FILE.md] (npm run bench:renditions:runner). `--check` exits 1 on a missed
 * goal or a regression; `--ours-config` starts this tree's runner with those settings (`-c`), to measure one.
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
import {
  RUNNER_SIZES,
  type RunnerSample,
  type RunnerSize,
  type RunnerSource,
  renderRunnerReport,
  runnerCheckFails,
} from './runner-report';

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Each request as a spec the API signs, the reference's request for the same output (requests.ts) and what the answer
 * must be. The card is not the eager `card` preset (400x300), which the processor stores; no preset is 1200 px.
 */
const request = (name: string) => MIX.find((r) => r.name === name) as (typeof MIX)[number];
const REQUESTS: Record<
  RunnerSize,
  { spec: Record<string, unknown>; request: (typeof MIX)[number]; format: string; width: number }
> = {
  card: {
    spec: { w: 400, h: 225, fit: 'cover', format: 'webp', q: 80 },
    request: request('card-400-webp'),
    format: 'webp',
    width: 400,
  },
  page: {
    spec: { w: 1200, fit: 'inside', format: 'jpeg', q: 80 },
    request: request('inside-1200-jpeg'),
    format: 'jpeg',
    width: 1200,
  },
};
/** The card's height; a page's depends on the source's shape (and (b) leaves a portrait sideways). */
const CARD_HEIGHT = 225;

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '15' },
      against: { type: 'string' },
      tolerance: { type: 'string', default: String(DEFAULT_TOLERANCE) },
      check: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(__dirname, 'runner-results.md') },
      'ours-config': { type: 'string', multiple: true, default: [] },
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
    oursConfig: values['ours-config'] as string[],
  };
}

/**
 * The reference pipeline's handler over HTTP: `GET /<size>/<key>` reads the original from the bucket, then makes
 * that size's request of it.
 */
async function serveReference(s3: S3Client, bucket: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const [, size, ...rest] = (request.url ?? '/').split('/');
    const key = decodeURIComponent(rest.join('/'));
    const { request: asked, format } = REQUESTS[size as RunnerSize] ?? REQUESTS.card;
    (async () => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const original = Buffer.from(
        await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      const data = await ditProcess(original, asked.dit(), {
        getObject: async () => {
          throw new Error('no overlay in this request');
        },
        detectFaces: async () => [],
      });
      response.writeHead(200, { 'content-type': `image/${format}`, 'content-length': String(data.length) });
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

/** One GET, timed from sending it to its last byte; its output must be the size's format and width (and card height). */
async function timedGet(url: string, size: RunnerSize): Promise<{ ms: number; bytes: number; source?: string }> {
  const expected = REQUESTS[size];
  const started = performance.now();
  const response = await fetch(url, { headers: { accept: `image/${expected.format}` } });
  const body = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body.toString('utf8').slice(0, 200)}`);
  const { format, width, height } = await sharp(body).metadata();
  if (format !== expected.format || width !== expected.width || (size === 'card' && height !== CARD_HEIGHT)) {
    throw new Error(`GET ${url}: a ${format} ${width}x${height}, not the ${size} asked for`);
  }
  return { ms, bytes: body.length, source: response.headers.get('x-rendition-source') ?? undefined };
}

/** The image's stored renditions, but the page copy its record names (a source, as its thumbnails are). */
async function deleteRenditions(s3: S3Client, bucket: string, image: { imageId: string; keep?: string }) {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `renditions/${image.imageId}/` }));
  const objects = (listed.Contents ?? []).filter(({ Key }) => Key !== image.keep).map(({ Key }) => ({ Key }));
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
  images: Map<RunnerSource, { imageId: string; key: string; keep?: string; urls: Record<RunnerSize, string> }>;
}

async function startSide(sources: Source[], root?: string, config: string[] = []): Promise<Side> {
  const runner = await startRunner({
    auth: 'none',
    fromSource: true,
    root,
    // A 12 MP PNG is about 34 MB, over the default 25 MiB.
    args: ['-c', `maxUploadBytes=${64 * 1024 * 1024}`, ...config.flatMap((setting) => ['-c', setting])],
    // From source (tsx) on 2 cores that other work shares, starting can take longer than a test allows.
    readyTimeoutMs: 300_000,
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
    const urls = {} as Record<RunnerSize, string>;
    for (const size of RUNNER_SIZES) urls[size] = (await api.rendition(imageId, REQUESTS[size].spec)).url;
    // The reference reads the original itself, at the key the record names.
    // The page copy (renditionPageCopy) is what larger renditions are made from: kept when renditions are deleted.
    const keep = (view as { pageCopy?: { key: string } }).pageCopy?.key;
    images.set(source.format, { imageId, key: String(view.key), keep, urls });
    log(`${root ? 'baseline' : 'this tree'}: ${source.format} (${(bytes.length / 1e6).toFixed(1)} MB) is ${imageId}`);
  }
  return { runner, s3, images };
}

async function main(): Promise<void> {
  const began = performance.now();
  const { rounds, out, against, tolerance, check, oursConfig } = options();
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
  const ours = await startSide(sources, undefined, oursConfig);
  const baseline = await startSide(sources, base.tree).catch(async (error: unknown) => {
    await ours.runner.stop();
    throw error;
  });
  const reference = await serveReference(ours.s3, ours.runner.ready.bucket);
  const samples: RunnerSample[] = [];
  const contenders = ['ours', 'baseline', 'reference'] as const;
  try {
    for (let round = 0; round <= rounds; round++) {
      const cells = RUNNER_SIZES.flatMap((size) => sources.map(({ format }) => ({ size, format })));
      for (const [index, { size, format }] of cells.entries()) {
        const order = contenders.map((_, i) => contenders[(i + round + index) % contenders.length]);
        for (const contender of order as RunnerSample['contender'][]) {
          const side = contender === 'baseline' ? baseline : ours;
          const image = side.images.get(format) as Side['images'] extends Map<RunnerSource, infer I> ? I : never;
          await deleteRenditions(side.s3, side.runner.ready.bucket, image);
          const url =
            contender === 'reference' ? `${reference.url}/${size}/${encodeURIComponent(image.key)}` : image.urls[size];
          const outcome = await timedGet(url, size).catch((error: Error) => ({ error: error.message }));
          if (round === 0) continue;
          samples.push({ round, contender, format, size, ...outcome });
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
    oursConfig,
  };
  const markdown = renderRunnerReport(input);
  await writeFile(out, markdown);
  await writeFile(
    out.replace(/\.md$/, '.json'),
    `${JSON.stringify({ rounds, baseline: base, ours: thisTree(), samples }, null, 2)}\n`,
  );
  process.stdout.write(markdown);
  const portrait = (size: RunnerSize) =>
    median(
      samples
        .filter((s) => s.format === 'jpeg-camera' && s.size === size && s.contender === 'ours' && s.ms)
        .map((s) => s.ms as number),
    ).toFixed(0);
  log(`ours, the portrait: card ${portrait('card')} ms, page ${portrait('page')} ms`);
  log(`wrote ${out} and its .json in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  if (check && runnerCheckFails(input)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
