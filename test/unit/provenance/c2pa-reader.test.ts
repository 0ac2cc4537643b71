import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { C2paReader, withMemoryMaximum, workerScript } from '../../../lambdas/provenance/c2pa-reader';
import { readProvenance } from '../../../lambdas/provenance/read-provenance';
import { C2PA_WORKER_ASSET_PATH } from '../../../lambdas/provenance/wasm-contract';
import { credentialFixtures, unreadable } from '../../support/provenance';

/*
 * c2pa-rs failing inside a read: the reader runs it in a worker thread, so that one read is recorded as failed and the
 * next reads as ever. The failures are made in the real module, in its thread (test/support/c2pa-fault.ts, loaded
 * there with --require): a trap, a hang and a runaway allocation from inside the read's future, c2pa-rs's frames on
 * the stack. test/integration/provenance/fault.test.ts runs the same through the process's own reader, in a process
 * of its own, and checks that nothing escapes it.
 */

const FAULT = path.join(__dirname, '../../support/c2pa-fault.ts');
const photo = readFileSync(path.join(__dirname, '../../fixtures/photos/pier.jpg'));
let fixtures: Awaited<ReturnType<typeof credentialFixtures>>;
const readers: C2paReader[] = [];

/** A reader whose thread fails as the bytes it reads ask (`c2pa-fault:<kind>`). */
function faultyReader(timeoutMs = 10_000): C2paReader {
  const reader = new C2paReader({ timeoutMs, execArgv: ['--require', FAULT] });
  readers.push(reader);
  return reader;
}

const marked = (bytes: Buffer, kind: 'trap' | 'hang' | 'heap') =>
  Buffer.concat([bytes, Buffer.from(`c2pa-fault:${kind}`)]);

const generatedRead = {
  summary: 'ai-generated',
  basis: 'c2pa',
  generator: 'Imagine 3.1',
  credentials: { validation: 'untrusted', signer: { name: 'Imagine Test Signer' } },
};

beforeAll(async () => {
  fixtures = await credentialFixtures(photo);
});
afterAll(() => Promise.all(readers.map((reader) => reader.close())));

describe('a read that c2pa-rs fails', () => {
  it("records a trap inside the read as that image's unreadable credentials, and reads the next image as ever", async () => {
    const reader = faultyReader();
    // The fixture is real, so c2pa-rs is well inside its read (hashing, validating) when it traps.
    expect(await readProvenance(marked(fixtures.generated, 'trap'), 'jpeg', { reader })).toEqual(
      unreadable(/^c2pa-rs crashed reading it: RuntimeError: unreachable$/),
    );
    expect(await readProvenance(fixtures.generated, 'jpeg', { reader })).toMatchObject(generatedRead);
    expect(await readProvenance(fixtures.edited, 'jpeg', { reader })).toMatchObject({ summary: 'edited' });
  });

  it('bounds a read that never returns by the time bound, and reads the next image as ever', async () => {
    // The product's bound (5 s): a tighter one let a loaded CI run's next read (a new thread, then the read) run past
    // it. The answer naming the bound is the proof the timer ended the read: no clock is read here.
    const reader = faultyReader(5_000);
    await readProvenance(fixtures.camera, 'jpeg', { reader }); // The thread started: the bound is the read's alone.
    expect(await readProvenance(marked(fixtures.generated, 'hang'), 'jpeg', { reader })).toEqual(
      unreadable(/^c2pa-rs did not finish reading it within 5 s$/),
    );
    expect(await readProvenance(fixtures.generated, 'jpeg', { reader })).toMatchObject(generatedRead);
  });

  it("records a read that fills the thread's heap as unreadable, and reads the next image as ever", async () => {
    const reader = faultyReader();
    expect(await readProvenance(marked(fixtures.generated, 'heap'), 'jpeg', { reader })).toEqual(
      unreadable(/^c2pa-rs crashed reading it: it ran out of its JavaScript heap$/),
    );
    expect(await readProvenance(fixtures.generated, 'jpeg', { reader })).toMatchObject(generatedRead);
  });

  it("records a file larger than c2pa-rs's memory bound as unreadable, and reads a smaller one as ever", async () => {
    // 6 MB: the module's own 3.2 MB and a file of more than 3 MB cannot both fit; pier.jpg's 0.3 MB can.
    const reader = new C2paReader({ wasmMemoryMb: 6 });
    readers.push(reader);
    const big = await sharp({
      create: {
        width: 2600,
        height: 1800,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(3 * 1024 * 1024);
    const { generated } = await credentialFixtures(big, fixtures.signer);
    expect(await readProvenance(generated, 'jpeg', { reader })).toEqual(
      unreadable(/^c2pa-rs crashed reading it: RuntimeError: unreachable$/),
    );
    expect(await readProvenance(fixtures.generated, 'jpeg', { reader })).toMatchObject(generatedRead);
  });

  it('answers reads asked at once, one after the other, a failed one among them', async () => {
    const reader = faultyReader();
    const reads = await Promise.all([
      readProvenance(fixtures.generated, 'jpeg', { reader }),
      readProvenance(marked(fixtures.camera, 'trap'), 'jpeg', { reader }),
      readProvenance(fixtures.camera, 'jpeg', { reader }),
    ]);
    expect(reads.map(({ summary, credentials }) => [summary, credentials?.validation])).toEqual([
      ['ai-generated', 'untrusted'],
      ['unknown', 'invalid'],
      ['camera', 'untrusted'],
    ]);
  });
});

describe('a reader whose thread cannot start', () => {
  it('leaves the credentials unread, to be read again, and does not hold the file against them', async () => {
    const reader = new C2paReader({ execArgv: ['--require', path.join(__dirname, 'no-such-file.js')] });
    readers.push(reader);
    const read = await readProvenance(fixtures.generated, 'jpeg', { reader });
    expect(read).toEqual({ summary: 'unknown', basis: 'none', unread: true });
    // A plain photo never needs the thread.
    expect(await readProvenance(photo, 'jpeg', { reader })).toEqual({ summary: 'unknown', basis: 'none' });
  });
});

describe('withMemoryMaximum', () => {
  const wasm = readFileSync(require.resolve('@contentauth/c2pa-wasm/assets/c2pa_bg.wasm'));
  /** The module's own memory, instantiated with every import stubbed (none is called: it has no start function). */
  const memoryOf = (bytes: Uint8Array<ArrayBuffer>) => {
    const module = new WebAssembly.Module(bytes);
    const imports: Record<string, Record<string, () => number>> = {};
    for (const { module: from, name } of WebAssembly.Module.imports(module)) {
      imports[from] = { ...imports[from], [name]: () => 0 };
    }
    return new WebAssembly.Instance(module, imports).exports.memory as WebAssembly.Memory;
  };

  it("bounds c2pa-rs's memory, which declares no maximum, changing only its limits", () => {
    expect(() => memoryOf(wasm).grow(200)).not.toThrow();
    const bounded = withMemoryMaximum(wasm, 100);
    expect(bounded.length).toBe(wasm.length + 1); // The limits' flag says there is a maximum, of one byte.
    const memory = memoryOf(bounded);
    expect(memory.buffer.byteLength).toBe(51 * 65_536);
    memory.grow(49);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('leaves a module with a lower maximum, or no memory of its own, as it is', () => {
    const lower = withMemoryMaximum(wasm, 60);
    expect(withMemoryMaximum(lower, 100)).toBe(lower);
    const noMemory = Buffer.from('0061736d01000000010401600000', 'hex');
    expect(withMemoryMaximum(noMemory, 100)).toBe(noMemory);
  });
});

describe('workerScript', () => {
  it("finds the thread's script: its bundle in a function's asset, else the compiled file, else the sources'", () => {
    const sources = path.join(__dirname, '../../../lambdas/provenance');
    expect(workerScript(sources)).toBe(path.join(sources, 'c2pa-worker.ts'));
    expect(C2PA_WORKER_ASSET_PATH).toMatch(/\.js$/);
  });
});
