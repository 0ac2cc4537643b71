// The test environment of every jest project. It does two things to the test realm, and one for the test loop's bench:
//
// 1. Jest runs each test file in its own realm, so its Float32Array is not the one native addons use;
//    onnxruntime-node checks `data instanceof Float32Array` on the tensors it builds from native memory and fails.
//    Sharing the host's typed-array constructors with the test realm makes the two agree.
// 2. It keeps passing tests quiet. The handlers log JSON through Powertools Logger, which in Lambda mode writes
//    through its own `new Console({ stdout: process.stdout, stderr: process.stderr })`, not the global console,
//    so replacing `console` alone would not catch it. The realm gets its own `process.stdout`/`process.stderr`
//    streams (and a console writing to them) that collect what the code under test writes; when a test fails,
//    what was collected since the previous test ended is handed to jest's console, which prints it with that
//    file's results; when it passes, it is dropped. A test that asserts on logs still sees them, through
//    `jest.spyOn(process.stdout, 'write')` or `jest.spyOn(console, 'info')`.
//    SHOW_TEST_OUTPUT=1 turns this off: everything is printed as it is written, as jest does by default.
//    Output of native code (libvips' GLib warnings) and Node's own warnings go to the real streams regardless.
// 3. With IMAGE_INTEL_CPU_LOG=<file>, it appends a JSON line per test file: the CPU seconds its worker spent on it,
//    and those of the processes the file started and waited for (the kernel adds a reaped child's CPU, and its own
//    children's, to its parent's). The run's shared moto, runners and browser are not a file's: bench/test-loop
//    counts them by kind. Where a run's CPU goes, file by file (bench/test-loop/README.md).
const { Console } = require('node:console');
const { appendFileSync, readFileSync } = require('node:fs');
const { Writable } = require('node:stream');
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

/** A stream that hands every chunk to `collect` and otherwise answers like `real` (isTTY, columns...). */
function collectingStream(real, collect) {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk, encoding, callback) {
      // Strings keep their own encoding; bytes are taken as UTF-8, as a terminal would show them.
      collect(
        typeof chunk === 'string' ? Buffer.from(chunk, encoding).toString('utf8') : Buffer.from(chunk).toString('utf8'),
      );
      callback();
    },
  });
  for (const name of ['isTTY', 'columns', 'rows', 'fd']) {
    Object.defineProperty(stream, name, { get: () => real[name], enumerable: true, configurable: true });
  }
  stream.getColorDepth = (...args) => real.getColorDepth?.(...args) ?? 1;
  stream.hasColors = (...args) => real.hasColors?.(...args) ?? false;
  return stream;
}

class PipelineTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.cpuLog = process.env.IMAGE_INTEL_CPU_LOG;
    if (this.cpuLog) this.cpuAtStart = { file: context.testPath, self: selfCpu(), children: childrenCpu() };
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];

    this.quiet = !['1', 'true'].includes(process.env.SHOW_TEST_OUTPUT ?? '');
    /** What the code under test wrote since the last test ended. */
    this.collected = [];
    if (!this.quiet) return;
    const realm = this.global.process;
    for (const name of ['stdout', 'stderr']) {
      const stream = collectingStream(realm[name], (text) => this.collected.push(text));
      Object.defineProperty(realm, name, { value: stream, enumerable: true, configurable: true, writable: true });
    }
  }

  async setup() {
    await super.setup();
    if (!this.quiet) return;
    // Jest installs its own console after constructing the environment: keep it to report with, and give the
    // realm a console that writes to the collecting streams instead.
    this.jestConsole = this.global.console;
    this.global.console = new Console({ stdout: this.global.process.stdout, stderr: this.global.process.stderr });
  }

  async teardown() {
    await super.teardown();
    if (!this.cpuLog) return;
    const { file, self, children } = this.cpuAtStart;
    const line = { file, self: round(selfCpu() - self), children: round(childrenCpu() - children) };
    appendFileSync(this.cpuLog, `${JSON.stringify(line)}\n`);
  }

  handleTestEvent(event, state) {
    if (!this.quiet) return;
    switch (event.name) {
      case 'test_done':
        if (event.test.errors.length > 0) this.report(`the test "${testName(event.test)}" failed`);
        this.collected = [];
        break;
      case 'hook_failure':
        this.report(`a ${event.hook.type} hook failed`);
        this.collected = [];
        break;
      case 'run_finish':
        if (state.unhandledErrors.length > 0) this.report('the test file failed');
        this.collected = [];
        break;
    }
  }

  /** Print what was collected, if anything, with the file's results. */
  report(what) {
    const text = this.collected.join('').trimEnd();
    if (text) this.jestConsole.log(`Output since the previous test, until ${what}:\n${text}`);
  }
}

/** This process's CPU seconds, user and system. */
function selfCpu() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** The CPU seconds of this process's reaped children (cutime and cstime of /proc/self/stat, in clock ticks). */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After the name: state is field 3 of the whole line, cutime 16 and cstime 17.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

const round = (seconds) => Math.round(seconds * 10) / 10;

function testName(test) {
  const names = [];
  for (let block = test; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) names.unshift(block.name);
  return names.join(' › ');
}

module.exports = PipelineTestEnvironment;
