/**
 * The contenders of the renditions bench and the interleaved rounds that time them.
 *
 * Each request (an original and a request of the mix) is rendered by ours, the reference pipeline and Pillow one
 * right after the other, in an order that rotates from request to request; the requests' order rotates from round
 * to round. So whatever else the machine does at a moment hits all three alike. Each sample keeps its CPU time and
 * the I/O its code path did, as a trace of calls (io-trace.ts), priced afterwards (`io.ts`). Ours is the render
 * function's own code (ours.ts): first on a miss (nothing stored yet), then, as the stored contender, on a hit of the
 * rendition the miss stored.
 */
import sharp from 'sharp';
import type { Original, SourceFormat } from './corpus';
import { ditProcess } from './dit';
import { encodeTrace, type IoOp, type IoTrace, sequentialTrace } from './io-trace';
import { type BenchBucket, objectKeys, runOurs as runRenderFunction } from './ours';
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
  /** The contender's calls, in the order and overlap its code gave them, and its CPU time between them. */
  trace: IoTrace;
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

/** The objects of one original by key, and what ours stores of it (fresh for each request: its first is a miss). */
function bucketOf(original: Original, context: RunContext): BenchBucket {
  const files = objectKeys(original);
  return {
    read: (key) => {
      const file = files.get(key);
      return file === undefined ? undefined : bytesOf(context, file);
    },
    stored: new Map(),
  };
}

/** Ours on a miss, then on a hit of what the miss stored. */
async function runOursTwice({ original, request }: Task, context: RunContext): Promise<[Outcome, Outcome]> {
  const bucket = bucketOf(original, context);
  const outcome = async (): Promise<Outcome> => {
    try {
      const result = await runRenderFunction(original, request, bucket, context.logo);
      const { width = 0, height = 0 } = await sharp(result.data).metadata();
      return { trace: result.trace, outBytes: result.outBytes, width, height, source: result.source };
    } catch (error) {
      return { trace: sequentialTrace([], Number.NaN), outBytes: 0, width: 0, height: 0, error: rootCause(error) };
    }
  };
  const miss = await outcome();
  return [miss, miss.error ? miss : await outcome()];
}

/** The reference pipeline: the whole original from S3, its own edits code, the overlay from S3 too. */
async function runDit({ original, request }: Task, context: RunContext): Promise<Outcome> {
  // Its calls come one after another: the original, then (inside its edits) the overlay and Rekognition.
  const steps: { op: IoOp; bytes: number; gapMs: number }[] = [{ op: 'get', bytes: original.bytes, gapMs: 0 }];
  let since = 0;
  const step = (op: IoOp, bytes: number) => {
    const now = performance.now();
    steps.push({ op, bytes, gapMs: now - since });
    since = now;
  };
  const services = {
    getObject: async () => {
      step('get', context.logo.length);
      return Buffer.from(context.logo);
    },
    detectFaces: async () => {
      step('rekognition', 0);
      return [];
    },
  };
  const input = bytesOf(context, original.file);
  since = performance.now();
  try {
    const data = await ditProcess(input, request.dit(), services);
    const trace = sequentialTrace(steps, performance.now() - since);
    const { width = 0, height = 0 } = await sharp(data).metadata();
    return { trace, outBytes: data.length, width, height };
  } catch (error) {
    return { trace: sequentialTrace(steps, Number.NaN), outBytes: 0, width: 0, height: 0, error: rootCause(error) };
  }
}

/** Pillow in its own process: the same original from S3, its own decode, resize and encode. */
async function runPillow({ original, request }: Task, context: RunContext): Promise<Outcome> {
  const read = [{ op: 'get' as const, bytes: original.bytes }];
  const answer = await context.pillow.render(original.file, request.pillow);
  if ('error' in answer) {
    return { trace: sequentialTrace(read, Number.NaN), outBytes: 0, width: 0, height: 0, error: answer.error };
  }
  return {
    trace: sequentialTrace(read, answer.ms),
    outBytes: answer.bytes,
    width: answer.width,
    height: answer.height,
  };
}

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
        const outcomes: [Contender, Outcome][] =
          contender === 'ours'
            ? (await runOursTwice(task, context)).map((outcome, i) => [i === 0 ? 'ours' : 'stored', outcome])
            : [[contender, await (contender === 'dit' ? runDit : runPillow)(task, context)]];
        if (round > 0) samples.push(...outcomes.map(([name, outcome]) => toSample(round, name, task, outcome)));
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

/** The columns of `sampleRows`. */
export const SAMPLE_COLUMNS = [
  'round',
  'contender',
  'photo',
  'format',
  'request',
  'trace',
  'outBytes',
  'width',
  'height',
  'sizeOk',
  'sourceOrError',
] as const;

/**
 * The samples as one line each, the values of SAMPLE_COLUMNS joined by "|" (any "|" in a message becomes "/"), so
 * the committed JSON stays small and its diffs readable; the trace as `encodeTrace` writes it, which is all the I/O
 * model needs to price it again.
 */
export function sampleRows(samples: Sample[]): string[] {
  return samples.map((s) =>
    [
      s.round,
      s.contender,
      s.photo,
      s.format,
      s.request,
      s.error ? '' : encodeTrace(s.trace),
      s.outBytes,
      s.width,
      s.height,
      s.sizeOk,
      (s.error ?? s.source ?? '').replaceAll('|', '/'),
    ].join('|'),
  );
}
