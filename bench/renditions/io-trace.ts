/**
 * The I/O a request's code did, in the order and with the overlap the code gave it, so that it can be priced by the
 * I/O model (`io.ts`) after the run: calls one after another add up, calls in flight together cost the slowest.
 *
 * The code runs against in-memory objects whose calls answer at once, through an `IoRecorder` that notes, for each
 * call, which earlier calls had answered when it was made (what it could have waited for) and the CPU time since the
 * last of them (the code's own work in between). Pricing then replays that: a call starts when the last call it
 * came after has finished, plus that CPU time, and lasts what the model says. A call stopped before its answer was
 * used (a source read dropped because a stored copy was found) is paid for as a request but waited for by nothing.
 * The replay errs against the code, never for it: CPU work done while a call was in flight is counted after it.
 */

/** The operations the contenders make. */
export type IoOp =
  /** S3 GetObject of an object that is there: first byte, then its bytes. */
  | 'get'
  /** S3 GetObject of a key that is not there (a 404): the first byte's latency. */
  | 'miss'
  /** S3 PutObject. */
  | 'put'
  /** DynamoDB GetItem. */
  | 'getItem'
  /** Rekognition DetectFaces. */
  | 'rekognition';

export interface IoCall {
  op: IoOp;
  bytes: number;
  /** Indices of the calls that had answered when this one was made. */
  after: number[];
  /** CPU time from the last of those answers (or the request's start) to this call. */
  gapMs: number;
  /** Stopped before its answer was used: a request paid for, waited for by nothing. */
  stopped?: boolean;
}

export interface IoTrace {
  calls: IoCall[];
  /** When the answer was handed over: after which calls, and the CPU time since the last of them. */
  answer: { after: number[]; gapMs: number };
}

/** Records the calls of one request (see the module's comment). */
export class IoRecorder {
  private readonly started = performance.now();
  private readonly calls: IoCall[] = [];
  /** When each call answered (performance.now()), by index; undefined while in flight. */
  private readonly answeredAt: (number | undefined)[] = [];
  private answered?: IoTrace['answer'];

  /** One call of `op`; `bytes` is known from its result when the object is read. */
  async call<T>(op: IoOp, work: () => Promise<T> | T, bytes: number | ((result: T) => number) = 0): Promise<T> {
    const index = this.calls.length;
    this.calls.push({ op, bytes: 0, ...this.since() });
    this.answeredAt.push(undefined);
    const result = await work();
    const call = this.calls[index] as IoCall;
    call.bytes = typeof bytes === 'function' ? bytes(result) : bytes;
    this.answeredAt[index] = performance.now();
    return result;
  }

  /** The call `index` (as `calls` numbers them) was stopped before its answer was used. */
  stop(index: number): void {
    const call = this.calls[index];
    if (call) call.stopped = true;
  }

  /** The index the next call will get. */
  get next(): number {
    return this.calls.length;
  }

  /** The answer is handed over now. */
  answer(): void {
    this.answered = this.since();
  }

  trace(): IoTrace {
    if (!this.answered) throw new Error('IoRecorder: no answer was recorded');
    const stopped = new Set(this.calls.flatMap((call, i) => (call.stopped ? [i] : [])));
    const live = (after: number[]) => after.filter((i) => !stopped.has(i));
    return {
      calls: this.calls.map((call) => ({ ...call, after: live(call.after) })),
      answer: { ...this.answered, after: live(this.answered.after) },
    };
  }

  private since(): { after: number[]; gapMs: number } {
    const now = performance.now();
    const after = this.answeredAt.flatMap((at, i) => (at === undefined ? [] : [i]));
    const last = Math.max(this.started, ...after.map((i) => this.answeredAt[i] as number));
    return { after, gapMs: now - last };
  }
}

/** A trace of calls one after another, each after the CPU time given, then the answer: how (b) and Pillow run. */
export function sequentialTrace(steps: { op: IoOp; bytes?: number; gapMs?: number }[], lastGapMs: number): IoTrace {
  const calls = steps.map(
    ({ op, bytes = 0, gapMs = 0 }, i): IoCall => ({ op, bytes, gapMs, after: i === 0 ? [] : [i - 1] }),
  );
  return { calls, answer: { after: calls.length === 0 ? [] : [calls.length - 1], gapMs: lastGapMs } };
}

/**
 * The same calls made one after another, each after the last, and the answer after all of them (a stopped call
 * dropped): how the render function ran before it overlapped its reads and stored after answering. Its CPU time
 * stays where it was measured.
 */
export function inTurn(trace: IoTrace): IoTrace {
  const kept = trace.calls.filter((call) => !call.stopped);
  const calls = kept.map((call, i): IoCall => ({ ...call, after: i === 0 ? [] : [i - 1] }));
  return { calls, answer: { after: calls.length === 0 ? [] : [calls.length - 1], gapMs: 0 } };
}

/** A trace's replay under prices: when the answer goes out, when the last call ends, and the CPU time in it. */
export interface Timeline {
  /** The client's wait: from the request to its answer. */
  answerMs: number;
  /** The invocation's: until the last call it waits for (a store after the answer) has finished. */
  endMs: number;
  /** The CPU time on the answer's path, the rest of `answerMs` being I/O. */
  computeMs: number;
}

export function replay(trace: IoTrace, priceMs: (call: IoCall) => number): Timeline {
  const finished: number[] = [];
  const cpu: number[] = [];
  /** When the latest of `after` finished, and the CPU time on the path to it. */
  const latest = (after: number[]) =>
    after.reduce(
      (best, i) => ((finished[i] as number) > best.at ? { at: finished[i] as number, cpu: cpu[i] as number } : best),
      { at: 0, cpu: 0 },
    );
  for (const [i, call] of trace.calls.entries()) {
    const from = latest(call.after);
    finished[i] = from.at + call.gapMs + priceMs(call);
    cpu[i] = from.cpu + call.gapMs;
  }
  const from = latest(trace.answer.after);
  const answerMs = from.at + trace.answer.gapMs;
  // A stopped call is not waited for; one still running after the answer (the store) is.
  const waited = trace.calls.flatMap((call, i) => (call.stopped ? [] : [finished[i] as number]));
  return { answerMs, endMs: Math.max(answerMs, ...waited), computeMs: from.cpu + trace.answer.gapMs };
}

/** Requests of each kind in a trace, stopped ones included: each is billed. */
export function requestCounts(trace: IoTrace): Record<IoOp, number> {
  const counts: Record<IoOp, number> = { get: 0, miss: 0, put: 0, getItem: 0, rekognition: 0 };
  for (const call of trace.calls) counts[call.op] += 1;
  return counts;
}

/** A trace as one short string for the committed samples: `op:bytes:after:gap[:stopped]` joined by `;`, then `answer:after:gap`. */
export function encodeTrace(trace: IoTrace): string {
  const ms = (n: number) => String(Math.round(n * 100) / 100);
  const calls = trace.calls.map((c) =>
    [c.op, c.bytes, c.after.join('.'), ms(c.gapMs), ...(c.stopped ? ['stopped'] : [])].join(':'),
  );
  return [...calls, `answer:${trace.answer.after.join('.')}:${ms(trace.answer.gapMs)}`].join(';');
}
