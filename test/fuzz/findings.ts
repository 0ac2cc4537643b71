/**
 * Writes failing inputs to test/fixtures/fuzz/ with a JSON note of how they were made, a few per distinct
 * failure (the same bug found ten thousand times is one bug), so they can be replayed and committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXTENSIONS, type FuzzCase } from './engine';
import { describeVerdict, type Verdict } from './judge';
import { FUZZ_FORMATS } from './mutation';

export const FINDINGS_DIR = join(__dirname, '..', 'fixtures', 'fuzz');
const ROOT = join(__dirname, '..', '..');

/**
 * The commit the fuzzer ran at (`+dirty` if its mutators or seeds had uncommitted changes): a seed and iteration
 * rebuild the same input only with the same mutators and seeds.
 */
const fuzzerCommit = (() => {
  let commit: string | undefined;
  return (): string => {
    commit ??= (() => {
      try {
        const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
        const dirty = git('status', '--porcelain', '--', 'test/fuzz', 'test/fixtures/fuzz/seeds') !== '';
        return `${git('rev-parse', '--short', 'HEAD')}${dirty ? '+dirty' : ''}`;
      } catch {
        return 'unknown';
      }
    })();
    return commit;
  };
})();

/** Same kind and same message once numbers are blanked: offsets and sizes differ between hits of one bug. */
const signature = (verdict: Verdict): string => describeVerdict(verdict).replace(/\d+/g, '#').slice(0, 120);

export class FindingWriter {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly dir: string = FINDINGS_DIR,
    private readonly keepPerSignature = 3,
  ) {}

  /** Saves the input unless enough of the same failure are saved already; returns the path written, if any. */
  save(fuzzCase: FuzzCase, verdict: Verdict, ms: number): string | undefined {
    const key = signature(verdict);
    const count = this.seen.get(key) ?? 0;
    this.seen.set(key, count + 1);
    if (count >= this.keepPerSignature) return undefined;
    return writeCase(this.dir, fuzzCase, verdict, ms);
  }

  /** Distinct failures seen, with how many inputs hit each. */
  signatures(): [string, number][] {
    return [...this.seen];
  }
}

/** Laid out as Biome formats JSON (a list that fits in 120 columns on one line), so `npm run lint` passes on it. */
function noteJson(note: { mutations: string[] } & Record<string, unknown>): string {
  const { mutations } = note;
  const inline = `[${mutations.map((mutation) => JSON.stringify(mutation)).join(', ')}]`;
  const list =
    `  "mutations": ${inline},`.length <= 120 ? inline : JSON.stringify(mutations, null, 2).replace(/\n/g, '\n  ');
  const json = JSON.stringify({ ...note, mutations: '\0' }, null, 2).replace('"\\u0000"', list);
  return `${json}\n`;
}

/** Writes `<format>-s<seed>-i<iteration>.<ext>` and its `.json` note; returns the input's path. */
export function writeCase(dir: string, fuzzCase: FuzzCase, verdict: Verdict, ms: number): string {
  mkdirSync(dir, { recursive: true });
  const { seed, iteration, formats, format, base, mutations, bytes } = fuzzCase;
  const only = formats.length === FUZZ_FORMATS.length ? '' : ` --format ${formats.join(',')}`;
  const name = `${format}-s${seed}-i${iteration}`;
  const path = join(dir, `${name}.${EXTENSIONS[format]}`);
  writeFileSync(path, bytes);
  const note = {
    found: {
      seed,
      iteration,
      fuzzer: fuzzerCommit(),
      command: `npx tsx test/fuzz/run.ts${only} --seed ${seed} --only ${iteration}`,
    },
    replay: `npx tsx test/fuzz/run.ts --replay ${relative(ROOT, path)}`,
    format,
    base,
    mutations,
    bytes: bytes.length,
    verdict: describeVerdict(verdict),
    ms: Math.round(ms),
  };
  writeFileSync(join(dir, `${name}.json`), noteJson(note));
  return path;
}
