import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import type { Init, ReadRequest, WorkerMessage } from './c2pa-worker';
import { C2PA_WASM_ASSET_PATH, C2PA_WORKER_ASSET_PATH } from './wasm-contract';

/**
 * c2pa-rs run where its failure costs one read: in a worker thread of its own, under a time and a memory bound. Its
 * WebAssembly module polls a read's future from a microtask, so a trap (a Rust panic) inside a read cannot be caught
 * around the call: in the process it would be an uncaught exception, with that read and every later one left
 * pending. In a thread it ends the thread; the read is answered `crashed`, the thread is dropped, and the next read
 * starts another (docs/provenance.md#when-the-reader-fails).
 */

/** A read's answer: c2pa-rs's, or why there is none. */
export type ReaderAnswer =
  | { kind: 'store'; json: string }
  /** c2pa-rs's own error for the file: no manifest, or one it cannot read. */
  | { kind: 'error'; message: string }
  /** c2pa-rs trapped, ran out of memory or time, or its thread ended, while reading this file. */
  | { kind: 'crashed'; message: string }
  /** The thread could not be started: nothing was read, through no fault of the file. */
  | { kind: 'unavailable'; message: string };

export interface C2paReaderOptions {
  /** How long one read (and, apart, a thread's start) may take before its thread is ended. Default 5 s. */
  timeoutMs?: number;
  /** The thread's JavaScript heap (V8's old generation), in MB. Default 64. */
  heapMb?: number;
  /** The most memory c2pa-rs's module may grow to, in MB: a read takes about 3 times its file. Default 512. */
  wasmMemoryMb?: number;
  /** Node options for the thread. Default: the process's own, as any worker thread inherits them. */
  execArgv?: string[];
}

/**
 * Defaults: a signed 12 MP photo reads in 15 to 30 ms (`npm run bench:provenance`) and an 11 MB one takes c2pa-rs's
 * module to 36 MB, so 5 s and 512 MB are far beyond any honest file up to the 25 MB `maxUploadBytes` default (files to
 * about 170 MB fit), while a batch of hostile files still ends well inside the processor's timeout.
 */
const DEFAULTS = { timeoutMs: 5_000, heapMb: 64, wasmMemoryMb: 512 } as const;
const WASM_PAGE = 64 * 1024;

/** One worker thread at a time, started on the first read, replaced after any failure. */
export class C2paReader {
  private readonly options: Required<Omit<C2paReaderOptions, 'execArgv'>> & Pick<C2paReaderOptions, 'execArgv'>;
  /**
   * One read at a time: each copies its file into the module's memory, which grows to the largest it held and never
   * shrinks, so reads at once (the processor's images in flight) would hold that many files' worth.
   */
  private readonly oneAtATime = pLimit(1);
  private worker?: Worker;

  constructor(options: C2paReaderOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** c2pa-rs's reading of the file: never throws, never outlives the time bound. */
  read(request: ReadRequest): Promise<ReaderAnswer> {
    return this.oneAtATime(async () => {
      if (this.worker === undefined) {
        const started = await this.start();
        if (typeof started === 'string') return { kind: 'unavailable', message: started };
        this.worker = started;
      }
      const worker = this.worker;
      const answer = await this.ask(worker, request);
      // A thread that failed is not used again: its module may be left mid-call, or it is gone.
      if (answer.kind === 'crashed') {
        this.worker = undefined;
        void worker.terminate();
      }
      return answer;
    });
  }

  /** Ends the thread, if there is one; a later read starts another. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  /** A thread that has instantiated the module, or why there is none. */
  private async start(): Promise<Worker | string> {
    // Started while the module compiles (both take tens of milliseconds), and given it once it is.
    const worker = new Worker(workerScript(), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb },
      ...(this.options.execArgv && { execArgv: this.options.execArgv }),
    });
    // Between reads too: an 'error' with no listener would be thrown in this thread, and a thread that ended is
    // replaced by the next read.
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    const ready = settle<string | undefined>(worker, this.options.timeoutMs, {
      message: (message) => (message.kind === 'ready' ? undefined : `it answered ${message.kind} first`),
      failed: (why) => why,
      late: (seconds) => `it did not start within ${seconds} s`,
    });
    let problem: string | undefined;
    try {
      worker.postMessage({ module: await compiledModule(this.options.wasmMemoryMb) } satisfies Init);
      problem = await ready;
    } catch (error) {
      problem = `c2pa-rs's module could not be compiled: ${messageOf(error)}`;
    }
    if (problem === undefined) {
      // Idle, it keeps no process alive (the CLI ends when its work does).
      worker.unref();
      return worker;
    }
    void worker.terminate();
    return `the C2PA reader's thread could not start: ${problem}`;
  }

  private async ask(worker: Worker, request: ReadRequest): Promise<ReaderAnswer> {
    worker.ref();
    // The caller's buffer is the image every other step reads: the thread is handed a copy of its bytes alone (a
    // cloned view would take its whole backing buffer along, copied twice), transferred.
    const bytes = new Uint8Array(request.bytes);
    worker.postMessage({ ...request, bytes } satisfies ReadRequest, [bytes.buffer]);
    const answer = await settle<ReaderAnswer>(worker, this.options.timeoutMs, {
      message: (message) =>
        message.kind === 'store'
          ? message
          : message.kind === 'error' && message.name !== 'RuntimeError'
            ? { kind: 'error', message: message.message }
            : { kind: 'crashed', message: `c2pa-rs crashed reading it: ${describe(message)}` },
      failed: (why) => ({ kind: 'crashed', message: `c2pa-rs crashed reading it: ${why}` }),
      late: (seconds) => ({ kind: 'crashed', message: `c2pa-rs did not finish reading it within ${seconds} s` }),
    });
    worker.unref();
    return answer;
  }
}

function describe(message: WorkerMessage): string {
  return message.kind === 'error' ? `${message.name}: ${message.message}` : `it answered ${message.kind}`;
}

/**
 * The first of: the thread's next message, its failure (an uncaught error, running out of heap, exiting), or the
 * time bound, each made an answer by `as`; listeners removed after.
 */
function settle<T>(
  worker: Worker,
  timeoutMs: number,
  as: { message: (message: WorkerMessage) => T; failed: (why: string) => T; late: (seconds: number) => T },
): Promise<T> {
  return new Promise<T>((resolve) => {
    const done = (answer: T) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      resolve(answer);
    };
    const onMessage = (message: WorkerMessage) => done(as.message(message));
    const onError = (error: Error) => done(as.failed(describeError(error)));
    const onExit = (code: number) => done(as.failed(`its thread exited (code ${code})`));
    const timer = setTimeout(() => {
      done(as.late(timeoutMs / 1000));
      void worker.terminate();
    }, timeoutMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

function describeError(error: Error): string {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return 'it ran out of its JavaScript heap';
  return `${error.name}: ${error.message}`.slice(0, 200);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The thread's script: in the processor's asset, its own bundle (C2PA_WORKER_ASSET_PATH) beside the function's; in
 * dist/ (the CLI), the compiled file beside this one; from the sources (jest, tsx), the TypeScript file, which Node
 * (or tsx, with `npm start`) runs as it is.
 */
export function workerScript(dir = __dirname): string {
  const candidates = [C2PA_WORKER_ASSET_PATH, 'c2pa-worker.js', 'c2pa-worker.ts'].map((file) => path.join(dir, file));
  return candidates.find((file) => existsSync(file)) ?? (candidates[2] as string);
}

const compiled = new Map<number, Promise<WebAssembly.Module>>();

/**
 * c2pa-rs's module, compiled once per process (off the main thread) for every thread it starts, with its memory
 * bounded at `maxMb`. Its file is read beside the bundle in the processor's asset, else from node_modules.
 */
function compiledModule(maxMb: number): Promise<WebAssembly.Module> {
  // Declared by Node's types as a namespace of types only (the build has no DOM library): the global, typed here.
  const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } })
    .WebAssembly;
  let module = compiled.get(maxMb);
  if (module === undefined) {
    const beside = path.join(__dirname, C2PA_WASM_ASSET_PATH);
    const file = existsSync(beside)
      ? beside
      : path.join(path.dirname(require.resolve('@contentauth/c2pa-wasm/package.json')), 'pkg/c2pa_bg.wasm');
    module = wasm.compile(withMemoryMaximum(readFileSync(file), Math.floor((maxMb * 1024 * 1024) / WASM_PAGE)));
    // A failure is answered to the read that asked, and tried again by the next one.
    module.catch(() => compiled.delete(maxMb));
    compiled.set(maxMb, module);
  }
  return module;
}

/**
 * The module with a maximum on the memory it defines, in 64 KiB pages: c2pa-rs's declares none, so its memory could
 * grow to 4 GB. Past the maximum an allocation of c2pa-rs fails, which aborts it: a trap, answered as a crash. Only
 * the memory section changes (its limits gain a maximum); a module with no memory of its own, or with a lower
 * maximum, is returned as it is.
 */
export function withMemoryMaximum(wasm: Uint8Array<ArrayBuffer>, maxPages: number): Uint8Array<ArrayBuffer> {
  let at = 8; // After the magic number and the version.
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = wasm[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < wasm.length) {
    const id = wasm[at++] as number;
    const sizeAt = at;
    const size = leb();
    const start = at;
    if (id === 5) {
      const count = leb();
      const flags = leb();
      // One memory, 32-bit, not shared: c2pa-rs's. Another layout is not this module's: left alone.
      if (count !== 1 || flags > 1) return wasm;
      const min = leb();
      const max = flags === 1 ? leb() : undefined;
      if (max !== undefined && max <= maxPages) return wasm;
      const limits = [...encodeLeb(1), ...encodeLeb(1), ...encodeLeb(min), ...encodeLeb(Math.max(min, maxPages))];
      return Buffer.concat([
        wasm.subarray(0, sizeAt),
        Uint8Array.from([...encodeLeb(limits.length), ...limits]),
        wasm.subarray(start + size),
      ]);
    }
    at = start + size;
  }
  return wasm;
}

function encodeLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    const byte = rest % 0x80;
    rest = Math.floor(rest / 0x80);
    bytes.push(rest > 0 ? byte | 0x80 : byte);
  } while (rest > 0);
  return bytes;
}
