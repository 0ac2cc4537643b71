/**
 * c2pa-rs failing inside a read, for the tests of what the reader does then (docs/provenance.md#when-the-reader-fails).
 * Loaded with `--require` into the thread that runs c2pa-rs's module (the reader's worker thread, or any process),
 * before the module is instantiated, it patches the real module through `WebAssembly.Instance`, which its glue
 * instantiates it with: its exported `wasmreader_fromBytes` notes whether the bytes it is handed carry
 * `c2pa-fault:<kind>`, and then the first call c2pa-rs makes out of its module (an import of the glue's) after that
 * export returned, i.e. from inside the read's future, polled from a microtask, fails as:
 * - `trap`: a WebAssembly trap (`unreachable`, what a Rust panic compiles to), thrown through c2pa-rs's frames;
 * - `hang`: a loop in WebAssembly that never returns;
 * - `heap`: JavaScript allocations until V8's heap is full.
 * Every other read is left alone, and so is any other module. No relative import: Node strips its types and loads it
 * as it is.
 */

/** Exported for its type alone: Node strips it, and reads the file as CommonJS. */
export type Kind = 'trap' | 'hang' | 'heap';
const MARK = 'c2pa-fault:';
const KINDS: readonly Kind[] = ['trap', 'hang', 'heap'];

/** `trap` executes `unreachable`; `spin` loops for ever (`loop br 0 end`). Hand-assembled: 78 bytes. */
const FAULTS = new WebAssembly.Instance(
  new WebAssembly.Module(
    Buffer.from(
      '0061736d010000000104016000000303020000070f0204747261700000047370696e00010a0d020300000b070003400c000b0b',
      'hex',
    ),
  ),
).exports as { trap: () => void; spin: () => void };

let armed: Kind | undefined;

function fail(kind: Kind): void {
  if (kind === 'trap') FAULTS.trap();
  if (kind === 'hang') FAULTS.spin();
  const held: number[][] = [];
  for (;;) held.push(new Array(1_000_000).fill(held.length));
}

/** The kind of fault the bytes at `ptr` in the module's memory ask for, if any. */
function kindAt(memory: WebAssembly.Memory, ptr: number, length: number): Kind | undefined {
  const bytes = Buffer.from(memory.buffer, ptr, length);
  const at = bytes.indexOf(MARK);
  if (at < 0) return undefined;
  const kind = bytes.subarray(at + MARK.length, at + MARK.length + 4).toString('latin1');
  return KINDS.find((known) => known === kind);
}

const RealInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module: WebAssembly.Module, imports?: WebAssembly.Imports) {
  // c2pa-rs's glue names its imports' namespace for its own file; another module is left as it is.
  const glue = imports?.['./c2pa_bg.js'];
  if (glue === undefined) return new RealInstance(module, imports);
  for (const [name, value] of Object.entries(glue)) {
    if (typeof value !== 'function') continue;
    glue[name] = function (this: unknown, ...args: unknown[]) {
      const kind = armed;
      armed = undefined;
      if (kind) fail(kind);
      return value.apply(this, args);
    };
  }
  const real = new RealInstance(module, imports).exports;
  const fromBytes = real.wasmreader_fromBytes as (...args: number[]) => unknown;
  const memory = real.memory as WebAssembly.Memory;
  const exports = Object.assign(Object.create(null), real, {
    // (format, its length, the file's bytes, their length, context, its length): its synchronous part runs
    // untouched; the fault is for the future it leaves to be polled.
    wasmreader_fromBytes: (...args: number[]) => {
      const kind = kindAt(memory, args[2] as number, args[3] as number);
      const read = fromBytes(...args);
      armed = kind;
      return read;
    },
  });
  return { exports };
} as unknown as typeof WebAssembly.Instance;
