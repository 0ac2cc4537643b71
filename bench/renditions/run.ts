/**
 * The contenders of the renditions bench and the interleaved rounds that time them.
 *
 * Each request (an original and a request of the mix) is rendered by ours, the reference pipeline and Pillow one
 * right after the other, in an order that rotates from request to request; the requests' order rotates from round
 * to round. So whatever else the machine does at a moment hits all three alike. Each sample keeps its CPU time and
 * the I/O its code path did; the S3 time is priced afterwards (`io.ts`). The stored rendition is ours'
 * output read back from S3: I/O only.
 */
import sharp from 'sharp';
import { planSource, renderImage } from '../../lambdas/core/render';
import type { OutputFormat } from '../../lambdas/core/rendition';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import type { Original, SourceFormat } from './corpus';
import { ditProcess } from './dit';
import { type IoCharge, noIo } from './io';
import type { PillowChild } from './pillow';
import { MIX, type MixRequest } from './requests';

export const CONTENDERS = ['ours', 'stored', 'dit', 'pillow'] as const;
export type Contender = (typeof CONTENDERS)[number];

export interface Sample {
  round: number;
  contender: Contender;
  original: string;
  photo: string;
  format: SourceFormat;
  request: string;
  /** CPU-side time of the contender's code (decode, edits, encode); the I/O is priced from `io`. */
  computeMs: number;
  io: IoCharge;
  outBytes: number;
  width: number;
  height: number;
  /** The output has the size every contender should produce. */
  sizeOk: boolean;
  /** Ours: which stored object it rendered from. */
  source?: string;
  /** Set when the contender cannot do the request; no time is reported then. */
  error?: string;
}

export interface Task {
  original: Original;
  request: MixRequest;
}

export interface RunContext {
  /** Every original's and thumbnail's bytes by file, read before timing (S3 is priced, not read). */
  bytes: Map<string, Buffer>;
  logo: Buffer;
  pillow: PillowChild;
}

type Outcome = Omit<Sample, 'round' | 'contender' | 'original' | 'photo' | 'format' | 'request' | 'sizeOk'>;

const bytesOf = (context: RunContext, file: string): Buffer => {
  const bytes = context.bytes.get(file);
  if (!bytes) throw new Error(`not loaded: ${file}`);
  // A fresh copy per request, as a GetObject hands over: no contender reuses another's buffer.
  return Buffer.from(bytes);
};

/** Ours: plan from the record, read the planned object, render it. */
async function runOurs({ original, request }: Task, context: RunContext): Promise<Outcome> {
  const image = { width: original.width, height: original.height, thumbnails: original.thumbnails };
  const planStarted = performance.now();
  const plan = planSource(request.spec, image);
  const planMs = performance.now() - planStarted;
  const copy = plan.source === 'thumbnail' ? original.thumbnails.find((t) => t.size === plan.size) : undefined;
  const input = bytesOf(context, copy?.file ?? original.file);
  const started = performance.now();
  const out = await renderImage(input, request.spec, {
    format: request.spec.format as OutputFormat,
    image: { width: original.width, height: original.height },
    faces: [],
    objects: [],
    watermark: request.spec.watermark ? { kind: 'image', data: context.logo } : undefined,
    maxInputPixels: DEFAULT_SETTINGS.maxPixels,
  });
  return {
    computeMs: planMs + performance.now() - started,
    io: { s3ReadBytes: [input.length], dynamoGetItems: 1, rekognitionCalls: 0 },
    outBytes: out.data.length,
    width: out.width,
    height: out.height,
    source: copy ? `${copy.size} px WebP copy` : 'original',
  };
}

/** The reference pipeline: the whole original from S3, its own edits code, the overlay from S3 too. */
async function runDit({ original, request }: Task, context: RunContext): Promise<Outcome> {
  const io = noIo();
  io.s3ReadBytes.push(original.bytes);
  const services = {
    getObject: async () => {
      io.s3ReadBytes.push(context.logo.length);
      return Buffer.from(context.logo);
    },
    detectFaces: async () => {
      io.rekognitionCalls += 1;
      return [];
    },
  };
  const input = bytesOf(context, original.file);
  const started = performance.now();
  try {
    const data = await ditProcess(input, request.dit(), services);
    const computeMs = performance.now() - started;
    const { width = 0, height = 0 } = await sharp(data).metadata();
    return { computeMs, io, outBytes: data.length, width, height };
  } catch (error) {
    return { computeMs: Number.NaN, io, outBytes: 0, width: 0, height: 0, error: rootCause(error) };
  }
}

/** Pillow in its own process: the same original from S3, its own decode, resize and encode. */
async function runPillow({ original, request }: Task, context: RunContext): Promise<Outcome> {
  const io = { s3ReadBytes: [original.bytes], dynamoGetItems: 0, rekognitionCalls: 0 };
  const answer = await context.pillow.render(original.file, request.pillow);
  if ('error' in answer) return { computeMs: Number.NaN, io, outBytes: 0, width: 0, height: 0, error: answer.error };
  return { computeMs: answer.ms, io, outBytes: answer.bytes, width: answer.width, height: answer.height };
}

const RUNNERS = { ours: runOurs, dit: runDit, pillow: runPillow } as const;
const TIMED = ['ours', 'dit', 'pillow'] as const;

/** libvips stacks its messages with the root cause last (the codec's own words). */
const rootCause = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1) ?? 'unknown error';

/** Every original with every request of the mix. */
export const tasksOf = (originals: Original[]): Task[] =>
  originals.flatMap((original) => MIX.map((request) => ({ original, request })));

/** `list` started at `offset` and wrapped around. */
export function rotate<T>(list: readonly T[], offset: number): T[] {
  if (list.length === 0) return [];
  const start = ((offset % list.length) + list.length) % list.length;
  return [...list.slice(start), ...list.slice(0, start)];
}

/**
 * The warm-up: every request on the first original (each encoder, the attention cut, the watermark) and the first
 * request on every other original (each decoder, HEIC's WebAssembly one included). Untimed.
 */
export function warmUpTasks(tasks: Task[]): Task[] {
  const first = tasks[0]?.original.id;
  const firstPhoto = tasks[0]?.original.photo;
  const firstRequest = tasks[0]?.request.name;
  return tasks.filter(
    (t) => t.original.id === first || (t.original.photo === firstPhoto && t.request.name === firstRequest),
  );
}

/** Round 0 is the warm-up and is dropped; rounds 1..`rounds` are kept. */
export async function runRounds(
  tasks: Task[],
  context: RunContext,
  rounds: number,
  log: (line: string) => void,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let round = 0; round <= rounds; round++) {
    const started = performance.now();
    const roundTasks = round === 0 ? warmUpTasks(tasks) : tasks;
    for (const [index, task] of rotate(roundTasks, round * 7).entries()) {
      for (const contender of rotate(TIMED, round + index)) {
        const outcome = await RUNNERS[contender](task, context);
        const sample = toSample(round, contender, task, outcome);
        if (round > 0) samples.push(sample);
        if (round > 0 && contender === 'ours' && !outcome.error) samples.push(storedSample(sample));
      }
    }
    log(
      `round ${round === 0 ? '0 (warm-up)' : round} of ${rounds}: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return samples;
}

function toSample(round: number, contender: Contender, { original, request }: Task, outcome: Outcome): Sample {
  const expected = request.expected(original.width, original.height);
  return {
    round,
    contender,
    original: original.id,
    photo: original.photo,
    format: original.format,
    request: request.name,
    ...outcome,
    sizeOk: !outcome.error && outcome.width === expected.width && outcome.height === expected.height,
  };
}

/** The finished object read back from S3 (`renditions/<id>/<hash>.<ext>`): no rendering at all. */
function storedSample(ours: Sample): Sample {
  return {
    ...ours,
    contender: 'stored',
    computeMs: 0,
    io: { s3ReadBytes: [ours.outBytes], dynamoGetItems: 0, rekognitionCalls: 0 },
    source: 'stored rendition',
  };
}

/** The columns of `sampleRows`. */
export const SAMPLE_COLUMNS = [
  'round',
  'contender',
  'photo',
  'format',
  'request',
  'computeMs',
  's3Reads',
  's3Bytes',
  'dynamoGetItems',
  'rekognitionCalls',
  'outBytes',
  'width',
  'height',
  'sizeOk',
  'sourceOrError',
] as const;

/**
 * The samples as one line each, the values of SAMPLE_COLUMNS joined by "|" (any "|" in a message becomes "/"), so
 * the committed JSON stays small and its diffs readable; the S3 reads as a count and a byte total, which is all
 * the I/O model needs.
 */
export function sampleRows(samples: Sample[]): string[] {
  const round2 = (n: number) => (Number.isFinite(n) ? String(Math.round(n * 100) / 100) : '');
  return samples.map((s) =>
    [
      s.round,
      s.contender,
      s.photo,
      s.format,
      s.request,
      round2(s.computeMs),
      s.io.s3ReadBytes.length,
      s.io.s3ReadBytes.reduce((a, b) => a + b, 0),
      s.io.dynamoGetItems,
      s.io.rekognitionCalls,
      s.outBytes,
      s.width,
      s.height,
      s.sizeOk,
      (s.error ?? s.source ?? '').replaceAll('|', '/'),
    ].join('|'),
  );
}
